"""Assessment vocabulary (#18): ICF activities, health and body functions and environmental factors with
IBIC's 0–4 levels for Swedish cases; the VUM 2.0 themes for Danish ones; the wrong list refused (V1)."""

import datetime as dt

import pytest

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.commands import AssessNeeds
from rehabcore.domain.rules import DENMARK_DEFAULT, AssessmentListMismatch, DuplicateId
from rehabcore.domain.vocabulary import (
    BODY_FUNCTIONS,
    ENVIRONMENTAL_FACTORS,
    AreaLevel,
    AssessmentMethod,
    Jurisdiction,
    LifeArea,
    Participation,
    ThemeLevel,
    VumTheme,
)
from rehabcore.errors import InvalidInput

from .gwt import CASE, TODAY, an_id, given, opened

SWEDISH = opened()
DANISH = opened(jurisdiction=Jurisdiction.DK)


def assess(
    method: AssessmentMethod = AssessmentMethod.IBIC,
    life_areas: tuple[LifeArea, ...] = (),
    findings: tuple[AreaLevel, ...] | None = None,
    vum_themes: tuple[ThemeLevel, ...] | None = None,
) -> AssessNeeds:
    return AssessNeeds(
        case_id=CASE,
        assessment_id=an_id("assessment/18"),
        assessed_on=TODAY,
        method=method,
        life_areas=life_areas,
        participation=Participation.FULL,
        findings=findings,
        vum_themes=vum_themes,
    )


def test_a_swedish_assessment_gives_health_body_functions_and_environment_ibic_levels() -> None:
    findings = (
        AreaLevel(area=LifeArea.WORK_AND_EDUCATION, level=3),
        AreaLevel(area=LifeArea.MENTAL_FUNCTIONS, level=2),
        AreaLevel(area=LifeArea.HEALTH, level=1),
        AreaLevel(area=LifeArea.SUPPORT_AND_RELATIONSHIPS, level=0),
    )
    (recorded,) = given(SWEDISH).when(assess(findings=findings)).then_warns().events or []
    assert isinstance(recorded, ev.NeedsAssessed) and recorded.findings == findings
    assert LifeArea.MENTAL_FUNCTIONS in BODY_FUNCTIONS and LifeArea.ATTITUDES in ENVIRONMENTAL_FACTORS


@pytest.mark.parametrize("level", [-1, 5, 10])
def test_ibic_and_vum_levels_are_0_to_4_only(level: int) -> None:
    with pytest.raises(InvalidInput, match="level"):
        AreaLevel(area=LifeArea.HEALTH, level=level)
    with pytest.raises(InvalidInput, match="level"):
        ThemeLevel(theme=VumTheme.HEALTH, level=level)


@pytest.mark.parametrize("level", range(5))
def test_every_level_from_0_to_4_is_accepted(level: int) -> None:
    assert AreaLevel(area=LifeArea.SKIN, level=level).level == level


def test_a_vum_theme_on_a_swedish_case_is_refused() -> None:
    themes = (ThemeLevel(theme=VumTheme.PRACTICAL_TASKS, level=2),)
    given(SWEDISH).when(assess(AssessmentMethod.OTHER, (LifeArea.HEALTH,), vum_themes=themes)).then_rejected(
        "V1", AssessmentListMismatch, says="VUM 2.0 themes are Danish"
    )
    given(SWEDISH).when(assess(AssessmentMethod.VUM2, vum_themes=themes)).then_rejected(
        "V1", AssessmentListMismatch, says="not a method of a SE case"
    )


def test_an_icf_area_where_vum_is_required_is_refused() -> None:
    icf = assess(AssessmentMethod.VUM2, (LifeArea.SELF_CARE,))
    given(DANISH, ruleset=DENMARK_DEFAULT).when(icf).then_rejected(
        "V1", AssessmentListMismatch, says="VUM 2.0 themes (vum_themes)"
    )
    levels = assess(AssessmentMethod.VUM2, findings=(AreaLevel(area=LifeArea.HEALTH, level=1),))
    given(DANISH, ruleset=DENMARK_DEFAULT).when(levels).then_rejected("V1", AssessmentListMismatch)


def test_a_danish_case_is_assessed_in_the_vum_themes() -> None:
    themes = (
        ThemeLevel(theme=VumTheme.COMMUNITY_LIFE, level=3),
        ThemeLevel(theme=VumTheme.SOCIAL_LIFE, level=1),
    )
    (recorded,) = (
        given(DANISH, ruleset=DENMARK_DEFAULT)
        .when(assess(AssessmentMethod.VUM2, vum_themes=themes))
        .then_warns()
        .events
        or []
    )
    assert isinstance(recorded, ev.NeedsAssessed) and recorded.vum_themes == themes
    given(DANISH, ruleset=DENMARK_DEFAULT).when(
        assess(AssessmentMethod.IBIC, vum_themes=themes)
    ).then_rejected("V1", AssessmentListMismatch, says="not a method of a DK case")


def test_each_area_or_theme_has_one_level() -> None:
    twice = (AreaLevel(area=LifeArea.HEALTH, level=1), AreaLevel(area=LifeArea.HEALTH, level=2))
    given(SWEDISH).when(assess(findings=twice)).then_rejected("C2", DuplicateId)


def test_old_life_area_values_still_decode_and_an_old_assessment_keeps_its_bytes() -> None:
    # Rows stored before #18 name the first eleven values; they are unchanged.
    assert [a.value for a in list(LifeArea)[:11]] == [
        "learning",
        "general_tasks",
        "communication",
        "mobility",
        "self_care",
        "domestic_life",
        "relationships",
        "work_and_education",
        "community_life",
        "safety",
        "support_from_relatives",
    ]
    old = ev.NeedsAssessed(
        occurred_on=dt.date(2025, 5, 1),
        assessment_id=an_id("assessment/old"),
        method=AssessmentMethod.IBIC,
        life_areas=(LifeArea.SAFETY, LifeArea.SUPPORT_FROM_RELATIVES),
        participation=Participation.PARTLY,
    )
    name, version, data = codec.encode_event(old)
    assert b"findings" not in data and b"vum_themes" not in data
    assert codec.decode_event(name, version, data) == old
