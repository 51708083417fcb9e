"""Import never destroys: into an existing bank it adds new stories, `--force` keeps a byte-exact copy of every
file it replaces and never changes a setting coach.yaml has, and a failed import changes nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

import coach.bank.folder as folder_module
import coach.document.safekeeping as safekeeping
from coach.bank.folder import Bank, load_story
from coach.bank.settings import BankSettings, CompanyValue
from coach.cli import app
from coach.cli.app import make_app
from coach.cli.io import Terminal
from coach.document.importer import import_into_bank, plan_import
from coach.document.importplan import apply_import
from coach.document.safekeeping import merge_settings
from coach.errors import CoachError
from tests.conftest import AMAZON, SAMPLE, snapshot

NOW = datetime(2026, 12, 1, 22, 57, 0)
COPIES = "replaced/2026-12-01-225700"


def run(runner, *args, terminal: Terminal | None = None):
    return runner.invoke(make_app(terminal) if terminal else app, [str(a) for a in args])


@pytest.fixture
def practised(runner, bank):
    """The sample bank after real use: a role set, three takes of the risk story, the rate calibrated, team edited."""
    settings = bank.settings()
    bank.save_settings(settings.model_copy(update={"role": "Staff Engineer"}))
    for seconds in (50, 52, 55):
        assert run(runner, "practice", "risk", "--seconds", seconds).exit_code == 0
    assert run(runner, "practice", "--calibrate").exit_code == 0
    team = bank.root / "team.md"
    team.write_text(team.read_text().replace("Salesforce", "Acme"))
    return bank


def test_force_keeps_every_replaced_byte_and_every_setting(runner, practised):
    bank = practised
    assert bank.settings().words_per_minute == 164 and len(load_story(bank.root / "risk.md").practice) == 3
    risk = bank.root / "risk.md"
    risk.write_text(risk.read_text().replace("Salesforce 2023", "Salesforce, spring 2023"))
    before = snapshot(bank.root)
    result = run(runner, "import", SAMPLE, "--force")
    assert result.exit_code == 0, result.output
    after = snapshot(bank.root)
    [folder] = (bank.root / "replaced").iterdir()
    assert after[f"replaced/{folder.name}/risk.md"] == before["risk.md"]  # practice log and front matter too
    assert after[f"replaced/{folder.name}/team.md"] == before["team.md"]
    assert after["coach.yaml"] == before["coach.yaml"]  # the calibrated rate and the role untouched
    assert {name for name in after if name.startswith("replaced/")} == {f"replaced/{folder.name}/{n}" for n in ("risk.md", "team.md")}
    assert after["conflict.md"] == before["conflict.md"] and after["learning.md"] == before["learning.md"]
    assert load_story(risk).practice == []  # the document's story, as the document has it
    assert "risk.md      The Risk Story      risk      15/15     143    0           replaced" in result.output
    assert f"Kept a byte-for-byte copy of the old risk.md and team.md in stories/{folder.relative_to(bank.root)}/." in " ".join(result.output.split())


def test_force_adds_only_the_settings_coach_yaml_lacks_and_keeps_a_copy(runner, practised):
    bank = practised
    bank.save_settings(bank.settings().model_copy(update={"role": ""}))
    before = snapshot(bank.root)
    result = run(runner, "import", AMAZON, "--force", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(row["file"], row["action"]) for row in rows] == [
        ("stories/launch-night.md", "created"), ("stories/customer.md", "created"), ("stories/coach.yaml", "merged")]
    settings = rows[-1]
    assert settings["settings_added"] == ["role"]
    assert settings["settings_kept"] == ["company", "values", "target_seconds", "words_per_minute"]
    assert (bank.root / "coach.yaml").read_text() == before["coach.yaml"].decode().replace("role: ''", "role: SDE II, Payments")
    assert (bank.root.parent / settings["copy"]).read_bytes() == before["coach.yaml"]
    assert bank.settings().words_per_minute == 164 and bank.settings().company == "Netflix"


def test_without_force_new_stories_are_added_and_nothing_else_changes(runner, practised, tmp_path):
    bank = practised
    doc = tmp_path / "more.md"
    doc.write_text("# Prep for Amazon Interview\n\n**Role:** SDE II\n\n## The Risk Story\n\nI took a different risk.\n\n"
                   "## Shipping weekly\n\nI moved us to weekly releases.\n")
    before = snapshot(bank.root)
    result = run(runner, "import", doc)
    assert result.exit_code == 0, result.output
    after = snapshot(bank.root)
    assert set(after) - set(before) == {"shipping-weekly.md"}
    assert {name: after[name] for name in before} == before
    assert " ".join(result.output.split()).endswith(
        "Imported 1 of 2 stories into stories. Kept risk.md as it is (already in the bank; --force replaces it, "
        "keeping a copy). Kept coach.yaml as it is; the document's company (Amazon), role (SDE II) and values (16 "
        "values) were not used.")


def test_without_force_a_document_already_in_the_bank_is_one_line_and_writes_nothing(runner, bank):
    before = snapshot(bank.root)
    result = run(runner, "import", SAMPLE)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("Error: stories already has risk.md, conflict.md, learning.md, team.md; nothing was "
                             "imported; pass --force to replace them (coach keeps a copy of each in stories/replaced)\n")
    assert snapshot(bank.root) == before


def test_force_of_the_same_document_changes_nothing(runner, bank):
    before = snapshot(bank.root)
    rows = json.loads(run(runner, "import", SAMPLE, "--force", "--json").stdout)
    assert {row["action"] for row in rows} == {"kept"} and {row["copy"] for row in rows} == {None}
    assert snapshot(bank.root) == before


def edited(bank: Bank) -> dict[str, bytes]:
    """Edit three stories of the bank by hand and return the bank's files."""
    for name in ("risk.md", "team.md", "learning.md"):
        (bank.root / name).write_text((bank.root / name).read_text().replace("## Draft\n\n", "## Draft\n\nMy own line.\n", 1))
    bank.save_settings(bank.settings().model_copy(update={"role": ""}))
    return snapshot(bank.root)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["disk-full", "ctrl-c"])
def test_an_import_failing_at_any_write_changes_nothing(bank, monkeypatch, error):
    before = edited(bank)
    real, writes = folder_module.write_atomic, []
    plan = plan_import(bank, AMAZON, force=True, now=NOW)
    copies = [path for path, old in plan.originals.items() if old is not None]
    assert len(plan.files) == 3 and len(copies) == 1  # two new stories and coach.yaml's role, after its copy
    total = len(plan.files) + len(copies)
    for failing_at in range(1, total + 1):
        writes.clear()

        def failing(path, text, failing_at=failing_at, **options):
            writes.append(path)
            if len(writes) == failing_at:
                raise error
            real(path, text, **options)

        monkeypatch.setattr(folder_module, "write_atomic", failing)
        monkeypatch.setattr(safekeeping, "write_atomic", failing)
        with pytest.raises(type(error)):
            import_into_bank(bank, AMAZON, force=True, now=NOW)
        assert snapshot(bank.root) == before, f"write {failing_at} of {total}"


def test_a_file_changed_between_plan_and_write_stops_the_import(bank):
    before = edited(bank)
    plan = plan_import(bank, SAMPLE, force=True, now=NOW)
    (bank.root / "team.md").write_text("changed meanwhile")
    with pytest.raises(CoachError, match="team.md: changed while coach was importing; nothing was imported"):
        apply_import(plan)
    assert snapshot(bank.root) == {**before, "team.md": b"changed meanwhile"}


def asking(answer: str, asked: list[str]) -> Terminal:
    def reply(prompt: str) -> str:
        asked.append(prompt)
        if answer == "eof":
            raise EOFError
        return answer

    return Terminal(input=reply, interactive=lambda: True, now=lambda: NOW)


@pytest.mark.parametrize("answer", ["n", "", "eof"])
def test_force_on_a_terminal_lists_and_asks_and_anything_but_yes_writes_nothing(bank, answer):
    before = edited(bank)
    asked: list[str] = []
    result = run(CliRunner(), "import", SAMPLE, "--force", terminal=asking(answer, asked))
    assert result.exit_code == 0 and asked == ["Replace them? [y/N] "]
    assert result.output.startswith(
        "coach import --force would replace 3 files in stories, keeping each old file,\n"
        f"  byte for byte, in stories/{COPIES}/:\n"
        "  risk.md      your 'The Risk Story', replaced by the document's version\n"
        "  learning.md  your 'The Learning Story', replaced by the document's version\n")
    assert result.output.endswith("Nothing was imported.\n")
    assert snapshot(bank.root) == before


def test_force_on_a_terminal_replaces_on_yes_and_yes_option_never_asks(bank):
    before = edited(bank)
    asked: list[str] = []
    assert run(CliRunner(), "import", SAMPLE, "--force", terminal=asking("y", asked)).exit_code == 0
    assert len(asked) == 1 and snapshot(bank.root)[f"{COPIES}/team.md"] == before["team.md"]
    edited(bank)
    result = run(CliRunner(), "import", SAMPLE, "--force", "--yes", terminal=asking("n", asked))
    assert result.exit_code == 0 and len(asked) == 1  # not asked again
    assert (bank.root / f"{COPIES}-2" / "team.md").exists()


def test_dry_run_lists_and_writes_nothing(runner, bank):
    before = edited(bank)
    result = run(runner, "import", AMAZON, "--force", "--dry-run")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Dry run, nothing was written: coach would import 2 stories into stories." in text
    assert "coach.yaml: would keep your company (Netflix; the document says Amazon)" in text
    assert "would add the role (SDE II, Payments) it lacked, from the document." in text
    assert snapshot(bank.root) == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "missing.md"], "Error: missing.md: no such file; check the path\n"),
        (["import", "."], "Error: .: is a folder, not a file\n"),
        (["import", "empty.md"], "Error: empty.md: is empty; write something in it or remove it\n"),
        (["import", str(SAMPLE), "--stories", "afile"], "Error: afile/coach.yaml: a file stands where a folder should be; pass a folder (for example --stories stories)\n"),
    ],
)
def test_bad_input_is_one_sentence_and_a_non_zero_exit(runner, tmp_path, args, message):
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "afile").write_text("not a folder")
    result = run(runner, *args)
    assert result.exit_code == 2 and result.stderr == message


def test_a_broken_coach_yaml_stops_a_forced_import(runner, bank):
    (bank.root / "coach.yaml").write_text("company: [unclosed\n")
    before = snapshot(bank.root)
    result = run(runner, "import", SAMPLE, "--force")
    assert result.exit_code == 2 and result.stderr.startswith("Error: stories/coach.yaml: malformed YAML")
    assert snapshot(bank.root) == before


NETFLIX = BankSettings(company="Netflix", values=[CompanyValue(name="Courage", meaning="Take smart risks.")])
GENERIC = [CompanyValue(name="Ownership", meaning="Own it.")]
ALL = ("company", "role", "values", "target_seconds", "words_per_minute")


@pytest.mark.parametrize(
    "written, bank, added, unused",
    [
        ({"company": "Acme"}, BankSettings(company="Acme"), ["role", "target_seconds", "words_per_minute"],
         ["company", "values"]),  # another company's values are never taken
        ({"company": "netflix"}, BankSettings(company="netflix"), ["role", "values", "target_seconds", "words_per_minute"],
         ["company"]),
        ({"company": "Generic", "values": []}, BankSettings(), [*ALL], []),
        ({"company": "Generic", "values": [1]}, BankSettings(values=GENERIC), [*ALL], []),  # the profile's, unchanged
        ({"company": "Generic", "values": [1]}, BankSettings(values=[CompanyValue(name="Mine", meaning="")]),
         ["company", "role", "target_seconds", "words_per_minute"], ["values"]),
        ({"role": "Staff", "target_seconds": [30, 45], "words_per_minute": 170},
         BankSettings(role="Staff", target_seconds=(30, 45), words_per_minute=170), ["company", "values"],
         ["role", "target_seconds", "words_per_minute"]),
    ],
)
def test_merge_takes_only_what_coach_yaml_lacks(written, bank, added, unused):
    document = NETFLIX.model_copy(update={"role": "SDE", "target_seconds": (60, 90), "words_per_minute": 140})
    merge = merge_settings(written, bank, document, True, GENERIC)
    assert (merge.added, merge.unused) == (added, unused)
    for key in ALL:
        assert getattr(merge.settings, key) == getattr(document if key in added else bank, key)
