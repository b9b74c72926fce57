"""The compliance calendar, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from ccl.cli import main
from ccl.ics import calendar_ics
from ccl.plan import update_action
from ccl.profile import PlanAction
from tests.conftest import START, make_profile

HOLDER = {"held": True, "number": "粤B2-20220315", "issued_on": date(2022, 3, 15), "annual_report_last_year": 2025}


def events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


def test_holder_calendar_has_five_reports_renewal_with_reminders_and_expiry(engine):
    ev = engine.evaluate(make_profile(licence=HOLDER), START)
    cal, evs = events(calendar_ics(ev, engine.catalog, "zh"))
    assert str(cal["VERSION"]) == "2.0"
    by_summary = {str(e["SUMMARY"]): e for e in evs}
    reports = [e for e in evs if "年报" in str(e["SUMMARY"])]
    assert [e.decoded("DTSTART") for e in reports] == [date(y, 3, 31) for y in range(2027, 2032)]
    renewal = by_summary["许可证延续申请截止"]
    expiry = date(2027, 3, 14)
    assert renewal.decoded("DTSTART") == expiry - timedelta(days=90)
    assert len(renewal.walk("VALARM")) >= 2
    assert by_summary["许可证到期"].decoded("DTSTART") == expiry
    for e in evs:  # all-day events
        assert type(e.decoded("DTSTART")) is date and e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(days=1)


def test_applicant_calendar_shows_projected_milestones_marked_as_estimates(engine, samples):
    ev = engine.evaluate(samples[0].load(), START)
    _, evs = events(calendar_ics(ev, engine.catalog, "en"))
    summaries = [str(e["SUMMARY"]) for e in evs]
    assert "Licence issued (projected)" in summaries
    assert all("projected" in str(e["DESCRIPTION"]) for e in evs)
    licence = next(e for e in evs if str(e["SUMMARY"]) == "Licence issued (projected)")
    assert licence.decoded("DTSTART") == ev.expected.licence_date


def test_uids_are_stable_and_unique(engine):
    ev = engine.evaluate(make_profile(licence=HOLDER), START)
    a = [str(e["UID"]) for e in events(calendar_ics(ev, engine.catalog, "zh"))[1]]
    b = [str(e["UID"]) for e in events(calendar_ics(ev, engine.catalog, "en"))[1]]
    assert a == b and len(set(a)) == len(a)


def test_cli_writes_the_calendar(tmp_path, samples, capsys):
    out = tmp_path / "c.ics"
    sample = next(s for s in samples if s.key == "09_suzhou_licence_holder")
    assert main(["calendar", str(sample.path), "--start", "2026-11-30", "--lang", "zh", "-o", str(out)]) == 0
    _, evs = events(out.read_bytes())
    assert any("年报" in str(e["SUMMARY"]) for e in evs)
    assert "c.ics" in capsys.readouterr().out


def test_cli_calendar_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "licence": {"issued_on": "soon"}}', encoding="utf-8")
    assert main(["calendar", str(bad), "-o", str(tmp_path / "x.ics")]) == 2
    err = capsys.readouterr().err.strip()
    assert "licence.issued_on" in err and "\n" not in err


# --- the plan's actions ------------------------------------------------------------------------------


def _xian(samples):
    return next(s for s in samples if s.key == "10_xian_mid_remediation").load()


def _actions(evs):
    return [e for e in evs if str(e["UID"]).startswith("action-")]


def test_actions_still_to_do_are_all_day_events_with_owner_and_a_reminder(engine, samples):
    ev = engine.evaluate(_xian(samples), START)
    _, evs = events(calendar_ics(ev, engine.catalog, "zh"))
    actions = _actions(evs)
    dated = [i for i in ev.plan if i.active and i.due is not None]
    assert len(actions) == len(dated) == 17  # done, waived and undated actions are left out
    trunk = next(e for e in actions if "中继" in str(e["SUMMARY"]))
    assert (
        str(trunk["SUMMARY"])
        == "[行动] 与基础电信运营商签订语音中继或号码使用合同（许可证下发后方可正式接入） — 负责人：王磊（行政部）"
    )
    assert trunk.decoded("DTSTART") == date(2026, 11, 20) and type(trunk.decoded("DTSTART")) is date
    assert trunk.decoded("DTEND") - trunk.decoded("DTSTART") == timedelta(days=1)
    assert "2026年11月20日" in str(trunk["DESCRIPTION"]) and "进行中" in str(trunk["DESCRIPTION"])
    [alarm] = trunk.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(days=3) and str(alarm["ACTION"]) == "DISPLAY"
    assert sorted(e.decoded("DTSTART") for e in actions) == sorted(i.due for i in dated)
    _, english = events(calendar_ics(ev, engine.catalog, "en"))
    assert any(str(e["SUMMARY"]).startswith("[Action] Sign a voice-trunk") for e in english)
    assert any(str(e["SUMMARY"]).endswith("— owner: 王磊（行政部）") for e in english)


def test_an_action_keeps_its_uid_when_its_due_date_moves(engine, samples):
    profile = _xian(samples)
    before = engine.evaluate(profile, START)
    moved = profile.with_plan(update_action(profile.plan, "pe.trunk_contract", START, due=date(2026, 12, 20)))
    after = engine.evaluate(moved, START)

    def uids(ev, lang):
        return {
            str(e["UID"]): e.decoded("DTSTART") for e in _actions(events(calendar_ics(ev, engine.catalog, lang))[1])
        }

    a, b = uids(before, "zh"), uids(after, "zh")
    assert set(a) == set(b) == set(uids(before, "en")) and len(a) == 17  # one UID per company and action
    changed = {uid for uid in a if a[uid] != b[uid]}
    assert len(changed) == 1 and b[changed.pop()] == date(2026, 12, 20)
    other = profile.model_copy(update={"company": profile.company.model_copy(update={"name": "另一家公司"})})
    assert not set(uids(engine.evaluate(other, START), "zh")) & set(a)  # another company's actions never collide


def test_owner_names_with_commas_and_semicolons_are_escaped_and_long_lines_folded(engine, samples):
    profile = _xian(samples)
    owner = "王磊, 行政部; 外包：李四\\张三"
    custom = PlanAction(id="custom.1", title="与" + "长" * 60 + "供应商签约", owner=owner, due=date(2026, 12, 3))
    profile = profile.with_plan((*update_action(profile.plan, "pe.trunk_contract", START, owner=owner), custom))
    ev = engine.evaluate(profile, START)
    data = calendar_ics(ev, engine.catalog, "zh")
    raw = data.decode("utf-8")
    assert "王磊\\, 行政部\\; 外包：李四\\\\张三" in raw  # RFC 5545 TEXT escaping
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets …
    for line in lines:
        line.decode("utf-8")  # … never inside a character
    _, evs = events(data)
    summaries = {str(e["SUMMARY"]) for e in _actions(evs)}
    assert f"[行动] 与{'长' * 60}供应商签约 — 负责人：{owner}" in summaries
    assert any(s.startswith("[行动] 与基础电信运营商") and s.endswith(owner) for s in summaries)


def test_an_action_without_owner_says_so(engine, samples):
    profile = _xian(samples)
    profile = profile.with_plan(update_action(profile.plan, "pe.seats", START, owner=None))
    ev = engine.evaluate(profile, START)
    _, evs = events(calendar_ics(ev, engine.catalog, "en"))
    seats = next(e for e in _actions(evs) if e.decoded("DTSTART") == date(2026, 12, 31))
    assert "owner" not in str(seats["SUMMARY"]) and str(seats["SUMMARY"]).startswith("[Action] ")
    assert "Owner: not assigned." in str(seats["DESCRIPTION"])


def test_cli_calendar_includes_the_actions(tmp_path, samples):
    out = tmp_path / "xian.ics"
    sample = next(s for s in samples if s.key == "10_xian_mid_remediation")
    assert main(["calendar", str(sample.path), "--start", "2026-11-30", "--lang", "en", "-o", str(out)]) == 0
    _, evs = events(out.read_bytes())
    assert len(_actions(evs)) == 17 and any("Licence issued" in str(e["SUMMARY"]) for e in evs)


def test_a_line_break_in_the_company_name_stays_inside_the_calendar_name(engine, samples):
    broken = (
        samples[0]
        .load()
        .model_copy(
            update={"company": samples[0].load().company.model_copy(update={"name": "深圳\nURL:http://evil.test"})}
        )
    )  # built around the validation, as an older file or a bug elsewhere could
    data = calendar_ics(engine.evaluate(broken, START), engine.catalog, "zh")
    lines = data.decode().split("\r\n")
    assert not any(line.startswith("URL:") for line in lines)
    [calname] = [line for line in lines if line.startswith("X-WR-CALNAME")]
    assert "深圳 URL" in calname


def test_a_milestone_keeps_its_uid_when_the_projection_moves(engine, samples):
    """A later start moves every projected date; a re-import must move the events, not add new ones."""
    sample = next(s for s in samples if s.key.startswith("07")).load()

    def by_summary(start):
        ev = engine.evaluate(sample, start)
        return {
            str(e["SUMMARY"]): (str(e["UID"]), e.decoded("DTSTART"))
            for e in events(calendar_ics(ev, engine.catalog, "zh"))[1]
        }

    a, b = by_summary(START), by_summary(START + timedelta(days=40))
    assert a.keys() == b.keys()
    for summary in a:
        assert a[summary][0] == b[summary][0], summary
    assert any(a[s][1] != b[s][1] for s in a)


def test_a_lapsed_licence_gets_no_reports_for_its_last_year_nor_a_renewal_reminder(engine):
    expiry = date(2027, 3, 14)
    lapsed = make_profile(licence=HOLDER | {"expires_on": expiry})
    ev = engine.evaluate(lapsed, date(2027, 1, 5))  # renewal deadline 2026-12-14 passed unfiled
    assert ev.headline.mode == "lapsed"
    evs = events(calendar_ics(ev, engine.catalog, "zh"))[1]
    reports = [e.decoded("DTSTART") for e in evs if "年报" in str(e["SUMMARY"])]
    assert all(d.year - 1 < expiry.year for d in reports)  # none for the business year the licence ends
    assert not any("延续" in str(e["SUMMARY"]) for e in evs)
    assert any(str(e["SUMMARY"]) == "许可证到期" for e in evs)
