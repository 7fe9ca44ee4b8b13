"""The matching engine: a worked example by hand, then each rule, the contract and bad input."""

from datetime import date

import numpy as np
import pytest

from mobilise.engines._validation import NotFittedError
from mobilise.engines.matching import (
    COMPONENTS,
    Ask,
    Match,
    MatchRanker,
    Offer,
    PlaceRelations,
    Proximity,
)

CAMDEN, ISLINGTON, LONDON, MANCHESTER, ENGLAND = (
    "E09000007",
    "E09000019",
    "E12000007",
    "E08000003",
    "E92000001",
)
PLACES = PlaceRelations(
    parents={CAMDEN: LONDON, ISLINGTON: LONDON, LONDON: ENGLAND, MANCHESTER: ENGLAND},
    neighbours={CAMDEN: [ISLINGTON]},
)

# Journey 3: a community group in Camden asks for a meeting room for ten sessions in the first
# half of 2026; five offers come in.
ROOM_ASK = Ask(
    id="room",
    category="premises",
    place=CAMDEN,
    quantity=10,
    unit="sessions",
    tags=["Meeting room", "step-free"],
    start=date(2026, 1, 1),
    end=date(2026, 6, 30),  # 181 days, both ends included
)
OFFERS = [
    # A business's own meeting room in Camden, all year: perfect on every component.
    Offer(
        id="traders-room",
        category="premises",
        place=CAMDEN,
        quantity=20,
        unit="Sessions",
        tags=["meeting room", "step-free", "wifi"],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    ),
    # A church hall next door in Islington, from March, without step-free access.
    Offer(
        id="church-hall",
        category="premises",
        place=ISLINGTON,
        quantity=10,
        unit="sessions",
        tags=["meeting room"],
        start=date(2026, 3, 1),
    ),
    # Money is not a room.
    Offer(id="grant", category="funding", place=LONDON, quantity=5000, unit="pounds"),
    # A London-wide room, counted in hours, any time.
    Offer(id="london-hours", category="premises", place=LONDON, quantity=40, unit="hours"),
    # A room in Manchester, but only in July.
    Offer(
        id="manchester",
        category="premises",
        place=MANCHESTER,
        quantity=10,
        unit="sessions",
        tags=["meeting room", "step-free"],
        start=date(2026, 7, 1),
        end=date(2026, 7, 31),
    ),
]


def test_worked_example_scores_by_hand():
    ranker = MatchRanker().fit([ROOM_ASK], OFFERS, PLACES)
    matches = ranker.offers_for("room")
    assert [m.offer_id for m in matches] == ["traders-room", "church-hall", "london-hours"]

    # Weights: category 1, skills 2, place 2, availability 1, quantity 1.
    perfect, hall, london = matches
    assert perfect.score == pytest.approx(1.0)
    assert perfect.components == {
        "category": 1.0,
        "skills": 1.0,
        "place": 1.0,
        "availability": 1.0,
        "quantity": 1.0,
    }

    # Church hall: 1 of 2 skills; a neighbouring place (0.5); 1 March–30 June is 122 of the 181
    # days asked for; 10 sessions of 10. (1 + 2×0.5 + 2×0.5 + 122/181 + 1) / 7.
    assert hall.components["skills"] == pytest.approx(0.5)
    assert hall.components["place"] == pytest.approx(0.5)
    assert hall.components["availability"] == pytest.approx(122 / 181)
    assert hall.score == pytest.approx((1 + 1 + 1 + 122 / 181 + 1) / 7)
    assert hall.score == pytest.approx(0.66772, abs=1e-5)

    # London-wide hours: no skills named (0); London contains Camden (0.75); open dates cover
    # everything (1); hours and sessions cannot be compared, so quantity does not apply and its
    # weight leaves the mean. (1 + 0 + 2×0.75 + 1) / 6.
    assert london.components["quantity"] is None
    assert london.score == pytest.approx(3.5 / 6)

    # The reasons, as codes for the app and as English.
    assert [r.code for r in hall.reasons] == [
        "same_category",
        "skills_some",
        "neighbouring_place",
        "dates_partly",
        "quantity_enough",
    ]
    texts = [r.text for r in hall.reasons]
    assert "Has 1 of the 2 skills asked for: meeting room (not step-free)" in texts
    assert "Offered in E09000019, next to E09000007" in texts
    assert "Available on 122 of the days asked for (67%)" in texts
    assert [r.code for r in london.reasons][2:] == [
        "offer_covers_place",
        "dates_cover",
        "different_units",
    ]
    assert london.reasons[1].code == "skills_none"


def test_excluded_pairs_are_nan_in_scores_and_absent_from_matches():
    ranker = MatchRanker().fit([ROOM_ASK], OFFERS, PLACES)
    assert np.isnan(ranker.scores_[0, 2])  # funding: another category
    assert np.isnan(ranker.scores_[0, 4])  # Manchester: dates do not overlap
    assert ranker.components_.shape == (1, 5, len(COMPONENTS))
    assert {m.offer_id for m in ranker.matches_} == {"traders-room", "church-hall", "london-hours"}


def test_asks_for_an_offer_best_first():
    second = Ask(id="second", category="premises", place=ISLINGTON, quantity=5, unit="sessions")
    third = Ask(id="third", category="premises", place=MANCHESTER, quantity=5, unit="sessions")
    ranker = MatchRanker().fit([third, ROOM_ASK, second], OFFERS, PLACES)
    found = ranker.asks_for("traders-room")
    assert [m.ask_id for m in found] == ["room", "second", "third"]
    assert found[0].score > found[1].score > found[2].score
    assert ranker.asks_for("grant") == []


def test_quantity_short_of_the_ask():
    ask = Ask(id=1, category="volunteers", place=CAMDEN, quantity=200, unit="volunteer hours")
    offer = Offer(id=2, category="volunteers", place=CAMDEN, quantity=50, unit="Volunteer  hours")
    (match,) = MatchRanker().fit([ask], [offer], PLACES).matches_
    assert match.components["quantity"] == pytest.approx(0.25)
    assert match.reasons[-1].code == "quantity_partial"
    assert match.reasons[-1].params["percent"] == 25
    # No dates on either side: availability does not apply and says nothing.
    assert match.components["availability"] is None
    assert "dates" not in " ".join(r.code for r in match.reasons)


def test_ask_area_containing_the_offer_and_distant_places():
    ask = Ask(id=1, category="data", place=LONDON, quantity=1)
    near = Offer(id="camden", category="data", place=CAMDEN, quantity=1)
    far = Offer(id="far", category="data", place="S12000036", quantity=1)
    matches = MatchRanker().fit([ask], [near, far], PLACES).offers_for(1)
    assert [m.reasons[1].code for m in matches] == ["ask_covers_place", "distant_place"]
    assert matches[1].components["place"] == 0.0


def test_hyperparameters_change_the_result():
    relaxed = MatchRanker(same_category_only=False, require_overlap=False).fit(
        [ROOM_ASK], OFFERS, PLACES
    )
    assert len(relaxed.offers_for("room")) == 5
    grant = next(m for m in relaxed.matches_ if m.offer_id == "grant")
    assert grant.components["category"] == 0.0
    assert grant.reasons[0].code == "different_category"
    july = next(m for m in relaxed.matches_ if m.offer_id == "manchester")
    assert july.components["availability"] == 0.0
    assert "dates_apart" in [r.code for r in july.reasons]

    strict = MatchRanker(min_score=0.6).fit([ROOM_ASK], OFFERS, PLACES)
    assert [m.offer_id for m in strict.matches_] == ["traders-room", "church-hall"]
    assert [
        m.offer_id for m in MatchRanker(max_per_ask=1).fit([ROOM_ASK], OFFERS, PLACES).matches_
    ] == ["traders-room"]

    # Place only: the London-wide room (0.75) now beats the church hall next door (0.5).
    place_only = MatchRanker(
        weights={"category": 0, "skills": 0, "availability": 0, "quantity": 0, "place": 1}
    ).fit([ROOM_ASK], OFFERS, PLACES)
    assert [m.offer_id for m in place_only.matches_] == [
        "traders-room",
        "london-hours",
        "church-hall",
    ]
    custom = MatchRanker(place_scores={"neighbour": 0.9}).fit([ROOM_ASK], OFFERS, PLACES)
    assert custom.offers_for("room")[1].components["place"] == 0.9


def test_deterministic_and_ties_keep_input_order():
    twins = [
        Offer(id=n, category="skills", place=CAMDEN, quantity=1, tags=["law"]) for n in (3, 1, 2)
    ]
    ask = Ask(id="a", category="skills", place=CAMDEN, quantity=1, tags=["law"])
    first = MatchRanker().fit([ask], twins, PLACES)
    assert [m.offer_id for m in first.matches_] == [3, 1, 2]
    again = MatchRanker().fit([ask], twins, PLACES)
    assert first.matches_ == again.matches_
    assert np.array_equal(first.scores_, again.scores_, equal_nan=True)


def test_contract_fit_returns_self_and_nothing_learned_before():
    ranker = MatchRanker()
    assert not [name for name in vars(ranker) if name.endswith("_")]
    with pytest.raises(NotFittedError):
        ranker.offers_for("room")
    with pytest.raises(NotFittedError):
        ranker.asks_for("room")
    assert ranker.fit([ROOM_ASK], OFFERS, PLACES) is ranker
    assert all(isinstance(m, Match) for m in ranker.matches_)
    with pytest.raises(ValueError, match="no ask with the id"):
        ranker.offers_for("nope")
    with pytest.raises(ValueError, match="no offer with the id"):
        ranker.asks_for("nope")


def test_empty_inputs():
    assert MatchRanker().fit([], OFFERS).matches_ == []
    assert MatchRanker().fit([ROOM_ASK], []).matches_ == []
    assert MatchRanker().fit([], []).scores_.shape == (0, 0)
    # Without place relations every other place is simply far away.
    (best, *_) = MatchRanker().fit([ROOM_ASK], OFFERS).offers_for("room")
    assert best.offer_id == "traders-room"


@pytest.mark.parametrize(
    "asks, offers, message",
    [
        ([Ask(id=1, category="x", place="A", quantity=-5)], [], "must be more than zero"),
        ([Ask(id=1, category="x", place="A", quantity=0)], [], "must be more than zero"),
        ([], [Offer(id=1, category="x", place="A", quantity=float("nan"))], "finite"),
        ([], [Offer(id=1, category="x", place="A", quantity="lots")], "must be a number"),
        (
            [
                Ask(
                    id=1,
                    category="x",
                    place="A",
                    quantity=1,
                    start=date(2026, 5, 1),
                    end=date(2026, 4, 1),
                )
            ],
            [],
            "ends before it starts",
        ),
        (
            [
                Ask(id=1, category="x", place="A", quantity=1),
                Ask(id=1, category="x", place="A", quantity=1),
            ],
            [],
            "more than once",
        ),
        ([Ask(id=1, category="", place="A", quantity=1)], [], "no category"),
        ([Offer(id=1, category="x", place="A", quantity=1)], [], "must be Ask objects"),
        ([Ask(id=1, category="x", place="A", quantity=1, tags="law")], [], "not one string"),
    ],
)
def test_bad_listings(asks, offers, message):
    with pytest.raises(ValueError, match=message):
        MatchRanker().fit(asks, offers)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"weights": {"colour": 1}}, "Unknown weight"),
        ({"weights": {"place": -1}}, "zero or more"),
        ({"weights": dict.fromkeys(COMPONENTS, 0)}, "At least one weight"),
        ({"place_scores": {"next door": 1}}, "Unknown place relation"),
        ({"place_scores": {"same": 2}}, "between 0 and 1"),
        ({"min_score": 1.5}, "between 0 and 1"),
        ({"max_per_ask": 0}, "1 or more"),
        ({"max_per_ask": True}, "1 or more"),
    ],
)
def test_bad_hyperparameters(params, message):
    with pytest.raises(ValueError, match=message):
        MatchRanker(**params).fit([ROOM_ASK], OFFERS)


def test_bad_place_relations():
    with pytest.raises(ValueError, match="loop"):
        PlaceRelations(parents={"A": "B", "B": "A"})
    with pytest.raises(ValueError, match="its own neighbour"):
        PlaceRelations(neighbours={"A": ["A"]})
    with pytest.raises(ValueError, match="PlaceRelations"):
        MatchRanker().fit([ROOM_ASK], OFFERS, places={"A": "B"})


def test_place_relations():
    assert PLACES.ancestors(CAMDEN) == [LONDON, ENGLAND]
    assert PLACES.relation(CAMDEN, CAMDEN) is Proximity.SAME
    assert PLACES.relation(CAMDEN, ENGLAND) is Proximity.OFFER_CONTAINS
    assert PLACES.relation(ENGLAND, CAMDEN) is Proximity.ASK_CONTAINS
    # Given once, neighbourhood works both ways.
    assert PLACES.relation(ISLINGTON, CAMDEN) is Proximity.NEIGHBOUR
    assert PLACES.relation(CAMDEN, MANCHESTER) is Proximity.NONE
