"""NUL and other characters a database refuses are bad input, never "database unreachable"."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from store_support import START, db_url, store  # noqa: F401  (fixtures)

from ccl.engine import Engine
from ccl.i18n import t
from ccl.profile import Profile, ProfileError, profile_from_dict
from ccl.samples import list_samples
from ccl.store import summary_of

BAD = ["公司\x00名称", "A\x07B", "Acme\x1b[31m", "broken \ud800 text"]


@pytest.mark.parametrize("text", BAD)
def test_profile_text_with_control_characters_is_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(ProfileError) as info:
        profile_from_dict({"schema_version": 1, "company": {"name": text}})
    assert (info.value.code, info.value.field) == ("bad_characters", "company.name")
    assert "control characters" in t("error.bad_characters", "en") and "控制字符" in t("error.bad_characters", "zh")
    with pytest.raises(ValidationError):
        Profile().with_answer("company.name", text)
    with pytest.raises(ValidationError):
        Profile().with_not_applicable("legal_entity.foreign_ownership_pct", text)


def test_tabs_and_line_breaks_are_accepted_and_a_one_line_answer_stays_on_one_line() -> None:
    assert Profile().with_answer("company.name", "广州\n粤声").company.name == "广州 粤声"
    na = Profile().with_not_applicable("legal_entity.foreign_ownership_pct", "租用\t共享办公").not_applicable
    assert na == {"legal_entity.foreign_ownership_pct": "租用 共享办公"}


def test_the_store_saves_cleaned_names_and_who_saved(store) -> None:  # noqa: F811
    engine = Engine.load()
    prof = list_samples()[0].load()
    summary = summary_of(engine.evaluate(prof, START))
    info = store.save(None, prof, summary, "王\x00经理\ud800", name="新\x00客户\x1b")
    assert info.saved_by == "王 经理"
    [client] = store.list_clients()
    assert client.name == "新 客户" and client.latest.saved_by == "王 经理"
    assert [c.id for c in store.find_clients("新\x00客户")] == [client.id]  # a search with NUL works too
    # a profile built without validation (as a bug might) still cannot break the connection
    raw = prof.model_copy(update={"company": prof.company.model_copy(update={"name": "X\x00Y"})})
    again = store.save(client.id, raw, summary, "", expected_version=1)
    assert again.version == 2 and store.get_client(client.id).name == "X Y"


SQL_TRICKS = ["x'); DROP TABLE clients; --", "100% _match_ \\' OR '1'='1", 'Robert"; DELETE FROM snapshots; --']


def test_sql_metacharacters_are_stored_and_matched_literally(store) -> None:  # noqa: F811
    engine = Engine.load()
    prof = list_samples()[0].load()
    summary = summary_of(engine.evaluate(prof, START))
    ids = [store.save(None, prof, summary, trick, name=trick).client_id for trick in SQL_TRICKS]
    assert sorted(c.name for c in store.list_clients()) == sorted(SQL_TRICKS)
    for client_id, trick in zip(ids, SQL_TRICKS, strict=True):
        assert [c.id for c in store.find_clients(trick)] == [client_id]
        assert store.history(client_id)[0].saved_by == trick
    assert store.find_clients("%") == [] and store.find_clients("_") == []  # no wildcard matching
