"""Any company, one command: built-in profiles found by any common spelling, values given or asked for, `coach
companies` to list and show them, `coach new` taking the bank's values, and no-bank messages that say how to start."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coach.bank.catalog import company_names, load_company, story_type_names
from coach.bank.companies import built_in_profiles, find_profile
from coach.cli import app
from coach.cli.app import make_app
from coach.cli.io import Terminal
from tests.conftest import snapshot

NO_PROFILE = ('Error: coach has no profile of Acme; pass its values with --values "Name: meaning; Name: meaning", '
              "describe it in stories/companies/acme.yaml, or pick a built-in profile (`coach companies` lists them)")


def run(runner, *args, terminal: Terminal | None = None):
    return runner.invoke(make_app(terminal) if terminal else app, [str(a) for a in args])


def typing(lines: list[str], asked: list[str]) -> Terminal:
    """A terminal where a person types these lines in turn; "eof" ends the input, "ctrl-c" interrupts."""
    answers = iter(lines)

    def reply(prompt: str) -> str:
        asked.append(prompt)
        line = next(answers)
        if line == "eof":
            raise EOFError
        if line == "ctrl-c":
            raise KeyboardInterrupt
        return line

    return Terminal(input=reply, interactive=lambda: True)


# --- the built-in profiles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", company_names())
def test_every_built_in_profile_loads_with_values_meanings_and_a_source(name):
    profile = load_company(name)
    assert len(profile.values) >= 4, f"{name} has fewer than 4 values"
    assert all(len(value.meaning.split()) >= 4 for value in profile.values), f"{name}: a value has no meaning"
    assert len({value.name.casefold() for value in profile.values}) == len(profile.values)
    source = profile.source
    assert source is not None and source.title and source.written, f"{name} names no source"
    if name != "generic":
        assert source.url.startswith("https://") and "check" in source.note, name
    assert set(profile.story_values) <= set(story_type_names())
    named = {value.name for value in profile.values}
    assert all(set(values) <= named for values in profile.story_values.values()), f"{name}: story_values names no value"


def test_at_least_twelve_companies_beyond_the_first_ones():
    assert len(set(company_names()) - {"amazon", "generic", "netflix"}) >= 12


def test_no_two_profiles_answer_to_the_same_name():
    from coach.bank.companies import company_key

    names = [{company_key(n) for n in (p.key, p.profile.name, *p.profile.aliases)} for p in built_in_profiles()]
    assert sum(len(keys) for keys in names) == len(set().union(*names))


@pytest.mark.parametrize(
    "typed, company",
    [("Meta", "Meta"), ("meta", "Meta"), ("facebook", "Meta"), ("FaceBook", "Meta"), ("Meta Platforms", "Meta"),
     ("goldman sachs", "Goldman Sachs"), ("Goldman-Sachs", "Goldman Sachs"), ("goldman", "Goldman Sachs"),
     ("AWS", "Amazon"), ("  NETFLIX ", "Netflix"), ("LinkedIn", "LinkedIn"), ("Linked In", "LinkedIn")],
)
def test_a_profile_is_found_by_any_common_spelling(typed, company):
    assert find_profile(typed).profile.name == company


@pytest.mark.parametrize("typed", ["Acme", "", "../../etc/passwd", "!!"])
def test_a_name_no_profile_answers_to_finds_none(typed):
    assert find_profile(typed) is None


# --- coach init --------------------------------------------------------------------------------------------------

def test_init_with_a_built_in_profile_by_another_name(runner, tmp_path):
    result = run(runner, "init", "--company", "facebook", "--role", "Production Engineer")
    assert result.exit_code == 0
    assert result.output == ("Wrote stories/coach.yaml for Meta, with 6 values.\n"
                             "Next: `coach new risk` starts your first story.\n")
    settings = json.loads(run(runner, "status", "--json").output)
    assert settings["company"] == "Meta"
    assert list(settings["values"])[:2] == ["Move Fast", "Focus on Long-Term Impact"]


def test_init_generic_and_an_existing_bank_end_with_the_next_step(runner, bank, tmp_path):
    result = run(runner, "init", "--stories", "other")
    assert result.output.splitlines() == ["Wrote other/coach.yaml for no company in particular, with 6 values.",
                                          "Next: `coach new risk --stories other` starts your first story."]
    result = run(runner, "init", "--company", "amazon", "--force")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "Next: `coach status` shows which values your stories cover."


def test_init_with_values_for_any_company(runner, tmp_path):
    result = run(runner, "init", "--company", "Acme", "--values", " Craft: sweat the details ;Candor; ; ")
    assert result.exit_code == 0, result.output
    data = json.loads(run(runner, "init", "--force", "--company", "Acme", "--values", "Craft: sweat the details; Candor",
                          "--json").output)
    assert data["company"] == "Acme"
    assert data["values"] == [{"name": "Craft", "meaning": "sweat the details"}, {"name": "Candor", "meaning": ""}]


def test_values_replace_a_profiles_values(runner, tmp_path):
    data = json.loads(run(runner, "init", "--company", "stripe", "--values", "Users First: them first", "--json").output)
    assert data["company"] == "Stripe" and data["values"] == [{"name": "Users First", "meaning": "them first"}]


@pytest.mark.parametrize(
    "values, message",
    [("", 'Error: --values is empty; give the company\'s values as --values "Name: meaning; Name: meaning"'),
     (" ; ;", 'Error: --values is empty; give the company\'s values as --values "Name: meaning; Name: meaning"'),
     (": fast", 'Error: --values: ": fast" has no name before its colon; write each value as Name: meaning'),
     ("Grit: a; grit: b", "Error: --values names grit twice; give each value once")],
)
def test_bad_values_are_one_sentence_and_nothing_is_written(runner, tmp_path, values, message):
    result = run(runner, "init", "--company", "Acme", "--values", values)
    assert result.exit_code == 2
    assert result.output.strip() == message
    assert not (tmp_path / "stories").exists()


def test_an_unknown_company_piped_without_values_is_one_sentence(runner, tmp_path):
    result = run(runner, "init", "--company", "Acme")
    assert result.exit_code == 2
    assert result.output.strip() == NO_PROFILE
    assert not (tmp_path / "stories").exists()


def test_with_json_on_a_terminal_it_never_asks(tmp_path):
    asked: list[str] = []
    result = run(CliRunner(), "init", "--company", "Acme", "--json", terminal=typing(["Grit"], asked))
    assert result.exit_code == 2 and asked == [] and result.output.strip() == NO_PROFILE


def test_on_a_terminal_the_values_are_asked_one_a_line(tmp_path):
    asked: list[str] = []
    lines = ["Craft: sweat the details", ": no name", "craft: again", "  Candor  :  say   it  ", ""]
    result = run(CliRunner(), "init", "--company", "Acme", terminal=typing(lines, asked))
    assert result.exit_code == 0, result.output
    assert asked == ["Value 1: ", "Value 2: ", "Value 2: ", "Value 2: ", "Value 3: "]
    assert result.output.splitlines() == [
        "coach has no profile of Acme. Type its values, one a line as Name: meaning; an",
        "  empty line ends.",
        'That line: ": no name" has no name before its colon; write each value as Name:',
        "  meaning.",
        "craft is already there; type another value, or an empty line to end.",
        "Wrote stories/coach.yaml for Acme, with 2 values.",
        "Next: `coach new risk` starts your first story.",
    ]
    settings = json.loads(run(CliRunner(), "status", "--json").output)
    assert settings["company"] == "Acme" and list(settings["values"]) == ["Craft", "Candor"]
    assert "{name: Candor, meaning: say it}" in (tmp_path / "stories" / "coach.yaml").read_text()


@pytest.mark.parametrize(
    "lines, status, message",
    [(["Craft: details", "eof"], 2, "Error: input ended before the empty line that ends the values; nothing was written"),
     (["Craft: details", "ctrl-c"], 130, "Interrupted; no file was left half-written."),
     ([""], 2, 'Error: no values were typed, so nothing was written; run it again and type at least one, or pass '
               '--values "Name: meaning; Name: meaning"')],
)
def test_end_of_input_ctrl_c_or_no_value_writes_nothing(tmp_path, lines, status, message):
    result = run(CliRunner(), "init", "--company", "Acme", terminal=typing(lines, []))
    assert result.exit_code == status
    assert result.output.splitlines()[-1] == message
    assert not (tmp_path / "stories").exists()


def test_an_existing_coach_yaml_is_refused_before_asking(bank):
    before = snapshot(bank.root)
    asked: list[str] = []
    result = run(CliRunner(), "init", "--company", "Acme", terminal=typing(["Grit", ""], asked))
    assert result.exit_code == 2 and asked == []
    assert result.output.strip() == "Error: stories/coach.yaml already exists; edit it, or pass --force to replace it"
    assert snapshot(bank.root) == before


def test_an_empty_company_name_is_refused(runner, tmp_path):
    result = run(runner, "init", "--company", "  ")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: --company is empty; name the company you are preparing for, e.g. --company Stripe"
    assert not (tmp_path / "stories").exists()


def own_stripe(tmp_path):
    folder = tmp_path / "stories" / "companies"
    folder.mkdir(parents=True)
    (folder / "stripe.yaml").write_text("name: Stripe\nvalues:\n  - {name: Ship It, meaning: Ship every week.}\n")


def test_the_banks_own_profile_wins(runner, tmp_path):
    own_stripe(tmp_path)
    data = json.loads(run(runner, "init", "--company", "STRIPE", "--json").output)
    assert data["values"] == [{"name": "Ship It", "meaning": "Ship every week."}]
    rows = json.loads(run(runner, "companies", "--json").output)
    stripes = [row for row in rows if row["name"] == "Stripe"]
    assert len(stripes) == 1 and stripes[0]["own"] and stripes[0]["file"] == "stories/companies/stripe.yaml"
    assert "Stripe (yours)  1       stories/companies/stripe.yaml" in run(runner, "companies").output


def test_a_broken_profile_of_the_banks_is_named_and_nothing_is_written(runner, tmp_path):
    folder = tmp_path / "stories" / "companies"
    folder.mkdir(parents=True)
    (folder / "stripe.yaml").write_text("name: Stripe\nvalues: [oops\n")
    before = snapshot(tmp_path / "stories")
    for args in (["init", "--company", "stripe"], ["companies"]):
        result = run(runner, *args)
        assert result.exit_code == 2
        assert result.output.startswith("Error: stories/companies/stripe.yaml") and len(result.output.splitlines()) == 1
    assert snapshot(tmp_path / "stories") == before


# --- coach companies ---------------------------------------------------------------------------------------------

def test_companies_lists_every_profile_with_its_source(runner):
    result = run(runner, "companies")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["company", "values", "source"]
    assert "Stripe         8       stripe.com/jobs/culture" in lines
    assert "Generic        6       coach's own" in lines
    assert len([line for line in lines[2:] if line and not line.startswith(" ")]) == len(company_names()) + 1
    assert max(len(line) for line in lines) <= 80


def test_companies_json_is_every_profile(runner):
    rows = json.loads(run(runner, "companies", "--json").output)
    assert [row["key"] for row in rows] == sorted(company_names(), key=lambda key: load_company(key).name.casefold())
    meta = next(row for row in rows if row["key"] == "meta")
    assert set(meta) == {"name", "key", "own", "file", "aliases", "values", "source"}
    assert meta["own"] is False and "facebook" in meta["aliases"]
    assert set(meta["source"]) == {"title", "url", "written", "note"} and meta["source"]["written"] == "2026-12-02"


def test_companies_show_prints_values_and_meanings(runner):
    result = run(runner, "companies", "show", "Goldman", "Sachs")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Goldman Sachs: 4 values"
    assert lines[1].startswith("Source: Goldman Sachs: our core values, https://www.goldmansachs.com/our-firm/")
    assert "Client Service" in lines and "Start a bank with them: coach init --company \"Goldman Sachs\"" in lines
    assert json.loads(run(runner, "companies", "show", "facebook", "--json").output)["name"] == "Meta"


@pytest.mark.parametrize(
    "args, message",
    [(["companies", "show"], "Error: name the company to show, e.g. `coach companies show Stripe`"),
     (["companies", "show", "Acme"], "Error: coach has no profile of 'Acme'; `coach companies` lists the built-in ones")],
)
def test_companies_show_refuses_plainly(runner, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2 and result.output.strip() == message


# --- coach new takes the bank's values ----------------------------------------------------------------------------

def test_new_takes_the_value_the_profile_ties_to_the_type(runner, tmp_path):
    run(runner, "init", "--company", "Stripe")
    data = json.loads(run(runner, "new", "risk", "--json").output)
    assert data["values"] == ["Move With Urgency and Focus"]
    assert '"Move With Urgency and Focus" challenges at Stripe?' in (tmp_path / "stories" / "risk.md").read_text()


def test_new_lists_every_value_of_a_bank_without_a_profile(runner, tmp_path):
    run(runner, "init", "--company", "Acme", "--values", "Craft: details; Candor: say it")
    result = run(runner, "new", "risk")
    assert result.exit_code == 0
    assert " ".join(result.output.split()) == (
        "Created stories/risk.md: write your draft under ## Draft, then answer each #### question. Its values: line "
        "lists all the bank's values; keep those this story shows.")
    text = (tmp_path / "stories" / "risk.md").read_text()
    assert "values: [Craft, Candor]" in text
    assert "#### Which of Acme's values does this story show best, and how?" in text


def test_new_lists_every_value_when_the_profile_ties_none_to_the_type(runner, tmp_path):
    run(runner, "init", "--company", "Google")
    data = json.loads(run(runner, "new", "conflict", "--json").output)
    assert len(data["values"]) == 7
    assert "Which of Google's values does this story show best" in (tmp_path / "stories" / "conflict.md").read_text()


def test_new_spells_values_as_coach_yaml_does_and_never_writes_none(runner, tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "coach.yaml").write_text("company: Stripe\nvalues:\n- {name: users first}\n- {name: Craft}\n")
    assert json.loads(run(runner, "new", "customer", "--json").output)["values"] == ["users first"]
    assert json.loads(run(runner, "new", "risk", "--json").output)["values"] == ["users first", "Craft"]


# --- no bank -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["status"], ["check"], ["practice", "risk"], ["show", "risk"]])
def test_every_no_bank_message_names_coach_init(runner, command):
    result = run(runner, *command)
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: stories: no story bank here; start one with `coach init --company NAME`, "
                                     "then `coach new TYPE` or `coach import DOC`, or pass --stories DIR")


def test_an_empty_folder_without_coach_yaml_names_coach_init(runner, tmp_path):
    (tmp_path / "stories").mkdir()
    result = run(runner, "check")
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: stories holds no stories; run `coach init --company NAME` (the target "
                                     "company), then `coach new TYPE` or `coach import DOC`")
    run(runner, "init", "--company", "stripe")
    assert run(runner, "check").output.strip() == "Error: stories holds no stories; run `coach new TYPE` or `coach import DOC`"


def test_init_names_the_stories_tagged_with_none_of_the_new_companys_values_and_leaves_them(runner, tmp_path):
    from tests.test_readme_examples import example

    result = run(runner, "new", "risk")  # before init: sent to `coach init`, nothing written
    assert result.exit_code == 2 and not (tmp_path / "stories").exists()
    assert result.stderr.strip() == ("Error: stories: no story bank here; start with `coach init --company NAME` (the "
                                     "company you are preparing for; `coach init` alone for none in particular), then "
                                     "`coach new risk`")
    assert run(runner, "init").exit_code == 0  # the generic values, then another company
    assert run(runner, "new", "risk").exit_code == 0
    assert run(runner, "new", "customer").exit_code == 0
    (tmp_path / "stories" / "coach.yaml").unlink()
    customer = tmp_path / "stories" / "customer.md"
    customer.write_text(customer.read_text().replace("values: [Customer Focus]", "values: [Customer Focus, Users First]"))
    before = snapshot(tmp_path / "stories")
    result = run(runner, "init", "--company", "Stripe", "--force")
    assert result.exit_code == 0
    assert result.output.splitlines() == example("coach init --company Stripe --force")
    assert {k: v for k, v in snapshot(tmp_path / "stories").items() if k != "coach.yaml"} == before
    data = json.loads(run(runner, "init", "--company", "Stripe", "--force", "--json").output)
    assert data["retag"] == [{"story": "risk", "type": "risk", "values": ["Impact"],
                              "suggested": ["Move With Urgency and Focus"]}]
    (tmp_path / "stories" / "coach.yaml").unlink()
    assert "risk is tagged Impact, none of the bank's values:" in " ".join(run(runner, "init", "--values", "Craft").output.split())


@pytest.mark.parametrize("typed, meant_name", [("Airbn", "Airbnb"), ("stripee", "Stripe"), ("Goldman Sachss", "Goldman Sachs")])
def test_a_mistyped_company_is_refused_with_the_profile_it_likely_means(runner, tmp_path, typed, meant_name):
    result = run(runner, "init", "--company", typed)
    named = f'"{meant_name}"' if " " in meant_name else meant_name
    assert result.exit_code == 2 and not (tmp_path / "stories" / "coach.yaml").exists()
    own = f"stories/companies/{typed.lower().replace(' ', '-')}.yaml"
    assert result.stderr.strip() == (f"Error: coach has no profile of {typed}; did you mean {meant_name}? Run `coach init "
                                     f"--company {named}`; for a company of its own, pass its values with --values "
                                     f"\"Name: meaning; Name: meaning\" or describe it in {own}")
    shown = run(runner, "companies", "show", typed)
    assert f"(did you mean {meant_name}?)" in shown.stderr


def test_on_a_terminal_a_close_name_is_asked_about_and_either_answer_goes_on(runner, tmp_path):
    asked: list[str] = []
    result = run(runner, "init", "--company", "Airbn", terminal=typing(["y"], asked))
    assert result.exit_code == 0 and asked == ["coach has no profile of Airbn; did you mean Airbnb? [y/N] "]
    assert "company: Airbnb" in (tmp_path / "stories" / "coach.yaml").read_text()
    asked.clear()
    result = run(runner, "init", "--company", "Strive", "--force", terminal=typing(["n", "Craft: care", ""], asked))
    assert result.exit_code == 0 and asked[0] == "coach has no profile of Strive; did you mean Stripe? [y/N] "
    settings = (tmp_path / "stories" / "coach.yaml").read_text()
    assert "company: Strive" in settings and "Craft" in settings


def test_a_company_unlike_any_profile_is_asked_for_its_values_as_before(runner, tmp_path):
    result = run(runner, "init", "--company", "Plaid")
    assert result.exit_code == 2 and "did you mean" not in result.stderr and "pass its values with" in result.stderr
