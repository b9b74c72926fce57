"""Batch import: good files are saved, bad ones listed with the reason, clients matched by name."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

import json
import shutil

import pytest
from store_support import START, db_url, save_sample, store  # noqa: F401  (fixtures)

from ccl.batch import import_files
from ccl.errors import ErrorCode
from ccl.store import Store


def _bytes(sample) -> bytes:
    return sample.path.read_bytes()


def test_mixed_batch_saves_the_good_files_and_explains_the_bad(store, engine, samples, tmp_path):
    bad_json = ("broken.json", b'{"schema_version": 1, "capital": {')
    negative = ("negative.json", json.dumps({"schema_version": 1, "capital": {"registered_cny": -5}}).encode())
    unknown_province = ("mars.json", json.dumps({"schema_version": 1, "company": {"province": "mars"}}).encode())
    wrong_type = ("notes.txt", b"hello")
    damaged_xlsx = ("damaged.xlsx", b"PK\x03\x04 not really a workbook")
    items = [
        samples[0].path,
        ("upload.json", _bytes(samples[1])),
        bad_json,
        negative,
        unknown_province,
        wrong_type,
        damaged_xlsx,
        str(samples[2].path),
    ]
    calls = []
    result = import_files(items, store, engine, START, saved_by="批量", progress=lambda d, n: calls.append((d, n)))
    assert calls == [(i, len(items)) for i in range(len(items) + 1)]
    assert [s.file for s in result.saved] == [str(samples[0].path), "upload.json", str(samples[2].path)]
    assert all(s.created and s.snapshot.version == 1 and s.snapshot.saved_by == "批量" for s in result.saved)
    failed = {f.file: "\n".join(f.reasons("zh")) for f in result.failed}
    assert list(failed) == ["broken.json", "negative.json", "mars.json", "notes.txt", "damaged.xlsx"]
    assert "JSON" in failed["broken.json"]
    assert "capital.registered_cny" in failed["negative.json"]
    assert "mars" in failed["mars.json"]
    assert ".json" in failed["notes.txt"]
    assert failed["damaged.xlsx"]  # "not supported yet" or "damaged", depending on the Excel reader
    assert not any(reason.startswith(name) for name, reason in failed.items())
    # the reasons are data, so the same result reads in English too
    by_code = {f.file: [(p.code, p.field) for p in f.problems] for f in result.failed}
    assert by_code["negative.json"] == [(ErrorCode.TOO_SMALL, "capital.registered_cny")]
    assert by_code["mars.json"] == [(ErrorCode.UNKNOWN_PROVINCE, "company.province")]
    english = {f.file: "\n".join(f.reasons("en")) for f in result.failed}
    assert "between" in english["negative.json"] and "万元" in failed["negative.json"]
    names = {c.name for c in store.list_clients()}
    assert names == {s.load().company.name for s in samples[:3]}


def test_reimporting_a_company_adds_a_version_instead_of_a_duplicate(store, engine, samples):
    first = import_files([samples[0].path], store, engine, START)
    again = import_files([("again.json", _bytes(samples[0]))], store, engine, START)
    assert again.saved[0].created is False
    assert again.saved[0].snapshot.client_id == first.saved[0].snapshot.client_id
    assert [h.version for h in store.history(first.saved[0].snapshot.client_id)] == [1, 2]
    assert len(store.list_clients()) == 1


def test_an_ambiguous_company_name_fails_that_file_only(store, engine, samples):
    save_sample(store, engine, samples[1])
    save_sample(store, engine, samples[1])  # a second client with the same name ("save as")
    result = import_files([samples[1].path, samples[0].path], store, engine, START)
    assert [s.file for s in result.saved] == [str(samples[0].path)]
    assert result.failed[0].problems[0].code == ErrorCode.AMBIGUOUS_CLIENT
    assert "There are 2 clients named" in result.failed[0].reasons("en")[0]
    assert "已有 2 个名为" in result.failed[0].reasons("zh")[0]


def test_a_file_without_a_company_name_becomes_a_client_named_after_the_file(store, engine):
    result = import_files([("北京客户.json", b'{"schema_version": 1}')], store, engine, START)
    assert result.saved[0].client_name == "北京客户"
    assert store.list_clients()[0].name == "北京客户"


def test_database_lost_mid_batch_lists_the_rest_as_not_imported(tmp_path, engine, samples):
    folder = tmp_path / "db"
    folder.mkdir()
    with Store.open(f"sqlite:///{folder / 'ccl.sqlite3'}") as s:

        def pull_the_plug(done: int, total: int) -> None:
            if done == 1:
                shutil.move(folder, tmp_path / "gone")

        items = [sp.path for sp in samples[:4]]
        result = import_files(items, s, engine, START, progress=pull_the_plug)
    assert [x.file for x in result.saved] == [str(samples[0].path)]
    reasons = [f.reasons("en")[0] for f in result.failed]
    assert len(reasons) == 3
    assert "cannot be reached" in reasons[0]
    assert reasons[1:] == ["Not imported: the database is unavailable."] * 2


def test_excel_reports_and_filled_templates_are_imported(store, engine, samples, tmp_path):
    pytest.importorskip("ccl.excel.reader")
    from ccl.excel.report import build_report
    from ccl.excel.template import build_template

    report = build_report(engine.evaluate(samples[1].load(), START), engine, "zh", START)
    template = build_template(engine, "en", samples[2].load())
    (tmp_path / "template.xlsx").write_bytes(template)
    items = [("报告.xlsx", report), tmp_path / "template.xlsx", ("damaged.xlsx", b"PK\x03\x04 junk")]
    result = import_files(items, store, engine, START)
    assert [s.file for s in result.saved] == ["报告.xlsx", str(tmp_path / "template.xlsx")]
    assert store.latest(result.saved[0].snapshot.client_id).profile == samples[1].load()
    assert store.latest(result.saved[1].snapshot.client_id).profile == samples[2].load()
    assert result.failed[0].file == "damaged.xlsx" and result.failed[0].reasons("zh")


class _Upload:
    """An upload that records when its bytes are read (as Streamlit's UploadedFile would be)."""

    def __init__(self, name: str, data: bytes, log: list[str]):
        self.name, self.size, self._data, self._log = name, len(data), data, log

    def getvalue(self) -> bytes:
        self._log.append(self.name)
        return self._data


def test_uploads_are_limited_in_number_and_total_size(store, engine, samples, monkeypatch):
    from ccl import batch
    from ccl.i18n import t

    good = _bytes(samples[0])
    with pytest.raises(batch.BatchTooLarge) as info:
        import_files([(f"{i}.json", good) for i in range(batch.MAX_FILES + 1)], store, engine, START)
    assert info.value.message("en") == t("batch.too_many_files", "en", n=batch.MAX_FILES + 1, max=batch.MAX_FILES)
    monkeypatch.setattr(batch, "MAX_TOTAL_BYTES", 3 * len(good))
    log: list[str] = []
    with pytest.raises(batch.BatchTooLarge) as info:
        import_files([_Upload(f"{i}.json", good, log) for i in range(4)], store, engine, START)
    assert "MB" in info.value.message("zh") and "分几次导入" in info.value.message("zh")
    assert log == [] and store.list_clients() == []  # refused before any file was read or saved
    # files on disk (the command line) are read one by one and not limited
    assert len(import_files([samples[0].path] * 4, store, engine, START).saved) == 4


def test_uploads_are_read_one_at_a_time_when_their_turn_comes(store, engine, samples):
    log: list[str] = []
    uploads = [_Upload(f"{i}.json", _bytes(s), log) for i, s in enumerate(samples[:3])]
    seen = []
    import_files(uploads, store, engine, START, progress=lambda done, n: seen.append(list(log)))
    assert seen == [[], ["0.json"], ["0.json", "1.json"], ["0.json", "1.json", "2.json"]]
