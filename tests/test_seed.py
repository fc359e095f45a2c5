"""The seed meeting of 24 June 2022, asserted field by field: nothing of the Word document lost."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ROOT, SEED_FILE

from tfcli.load import load_repo
from tfcli.model import Action, AgendaItem, Contact, Link, Meeting, NextMeeting, Person


@pytest.fixture(scope="module")
def seed() -> Meeting:
    # The file in the live minutes/ folder itself, whatever else the group has added since.
    repo = load_repo(ROOT)
    [seed] = [m for m in repo.meetings if m.path.name == SEED_FILE]
    assert [p for p in repo.problems if p.path.endswith(SEED_FILE)] == []
    return seed


def test_details(seed: Meeting) -> None:
    assert seed.path.name == "2022-06-24-anti-trafficking-task-force.md"
    assert (seed.id, seed.date) == ("2022-06-24", date(2022, 6, 24))
    assert seed.title == "Anti-Trafficking Task Force"
    assert (seed.time, seed.location) == (None, "Zoom")  # the seed's "Time: Zoom"
    assert (seed.status, seed.visibility) == ("approved", "public")
    assert seed.rapporteurs == ()  # "Reporting: N/A"


def test_chairs(seed: Meeting) -> None:
    assert seed.chair == Person(
        "Diana Doros",
        "State Chancellery",
        "Head of the Coordination Directorate for Human Rights and Social Dialogue",
    )
    assert seed.co_chairs == (
        Person("Martina Bogdeva", "UNHCR", "Anti-Trafficking Specialist"),
        Person("Diana Donoaga-Certan", "IOM", "Protection Programme Coordinator"),
    )


def test_participants_in_three_groups(seed: Meeting) -> None:
    names = {g: [p.label() for p in people] for g, people in seed.participants.items()}
    assert names == {
        "government": [
            "State Chancellery",
            "General Prosecutor's Office",
            "Centre for Combatting Trafficking in Persons",
            "Border Police General Inspectorate",
            "Ministry of Labour and Social Protection",
            "Centre of Assistance and Protection of Victims and Potential Victims of Trafficking",
            "National Agency for Social Assistance",
            "Ministry of Education",
        ],
        "international": ["UNHCR", "IOM", "OSCE", "ILO", "UNODC", "UNFPA", "UNDP", "INTERPOL"],
        "ngos": [
            "Isra AID",
            "La Strada",
            "CNPAC",
            "Plan International",
            "IRC Moldova",
            "Operation Orphan",
            "People in Need",
            "War Child",
            "Reach my Street",
            "ADRA Moldova",
        ],
    }
    assert seed.regrets == {}


TOR = "Introduction of the Task Force (TF) on Trafficking in Persons. Discussion on the TF TOR"
RECS = (
    "Presentation of recommendations on the need to enhance anti-trafficking prevention amid "
    "mass migration flows and self-assessment checklist"
)


def test_agenda(seed: Meeting) -> None:
    assert [(a.title, a.type, a.presenter) for a in seed.agenda] == [
        ("Welcome remarks", None, None),
        (TOR, "decision", "State Chancellery"),
        ("Structured tour de table on main anti-trafficking responses", None, None),
        (RECS, "information", "Tetiana Rudenko (OSCE)"),
        ("Q&A and Meetings' schedule", None, None),
        ("Wrap-up", None, None),
    ]
    assert all(isinstance(a, AgendaItem) and a.line > 1 for a in seed.agenda)


def test_actions(seed: Meeting) -> None:
    common = {"meeting_id": "2022-06-24", "owners": ("chairs",), "due": date(2022, 7, 8)}
    assert seed.actions == (
        Action(
            local_id="1",
            text="Share OSCE and Council of Europe recommendations on TiP",
            status="open",
            meeting_date=date(2022, 6, 24),
            line=59,
            agenda="Welcome remarks",
            **common,  # type: ignore[arg-type]
        ),
        Action(
            local_id="2",
            text="Send the Action Plan with integrated recommendations on TiP",
            status="open",
            meeting_date=date(2022, 6, 24),
            line=65,
            agenda=TOR,
            **common,  # type: ignore[arg-type]
        ),
    )
    assert [a.id for a in seed.actions] == ["2022-06-24/1", "2022-06-24/2"]


def test_decisions_links_contacts_next(seed: Meeting) -> None:
    assert seed.decisions == (
        "The Terms of Reference of the Task Force were approved.",
        "The Task Force meets bi-weekly in mixed format (online and offline).",
        "The anti-trafficking digital prevention capacity is to be discussed at the next meeting.",
    )
    assert [link.url for link in seed.links] == [
        None,  # href="#" in the seed
        "https://www.anas.md/",
        "https://www.osce.org/cthb/513784",
        "https://www.osce.org/cthb/516423",
        "https://data2.unhcr.org/en/situations/ukraine/location/10784",
    ]
    assert seed.links[0] == Link(
        "Program of creation and development of a National mechanism of referral for protection "
        "and assistance of victims of crimes for 2022-2026 years and Action Plan for 2022-2024"
    )
    assert seed.contacts == (
        Contact("Martina Bogdeva", "UNHCR", "bogdeva@unhcr.org"),
        Contact("Hanna Ursol", None, "ursol@unhcr.org"),
    )
    assert seed.next_meeting == NextMeeting(
        agenda=("Anti-trafficking digital prevention capacity",)
    )


def test_body_has_a_heading_per_agenda_item_and_every_figure(seed: Meeting) -> None:
    headings = [line[3:] for line in seed.body.splitlines() if line.startswith("## ")]
    assert headings == [a.title for a in seed.agenda]
    for figure in [
        "1,646 children",
        "pre-school – 487",
        "1,159 in April 2022",
        "1,644 on 22 May",
        "12,375 children",
        "4,402 children",
        "42 are undocumented",
        "49 are with disabilities",
        "over 40,000",
        "580 Ukrainian refugees by 17 June 2022",
        "from initially 108 Refugee Accommodation Centres, 78 remain open",
        "3,145 accommodated persons",
        "1,320 are children",
        "107 are persons with disabilities",
        "over 20 years of partnership",
        "30 alternative care services",
        "9 March 2022",
        "22 April 2022",
        "the support of IOM and UNHCR, the activity of the anti-trafficking hotline",
        "bi-weekly meetings in mixed format (online and offline)",
        "anti-trafficking digital prevention capacity is to be discussed at the next meeting",
    ]:
        assert figure in seed.body, figure
    assert "@" not in seed.body  # contact data lives in `contacts`, never in the text
    assert "<" not in seed.body.replace("<https://www.anas.md/>", "")  # no HTML left over
