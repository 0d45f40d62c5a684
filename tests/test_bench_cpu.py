"""The figures of bench/cpu.py (issue 21, item 6): the change of a page is the median of the
back-to-back pairs of the two checkouts, the ratios the medians of the pairs with the references
asked beside each request, and ``--agree`` counts the figures of two runs within the limit."""

from argparse import Namespace
from types import SimpleNamespace

from bench import cpu

PAGE = "Банк: наставники"


def _tree(name, page_cpu, ok, admin):
    """A checkout after a run: one round of the page's requests and the references beside them."""
    pages = [cpu.OK, cpu.ADMIN, PAGE]
    return SimpleNamespace(
        name=name,
        pages=pages,
        queries=dict.fromkeys(pages, 3),
        cpu={cpu.OK: [ok], cpu.ADMIN: [admin], PAGE: [page_cpu]},
        near={
            cpu.OK: {cpu.OK: ok, cpu.ADMIN: admin},
            cpu.ADMIN: {cpu.OK: ok, cpu.ADMIN: admin},
            PAGE: {cpu.OK: ok, cpu.ADMIN: admin},
        },
        split={},
    )


ARGS = Namespace(rounds=1, runs=3, institution=1)


def test_a_page_s_change_is_the_median_of_its_pairs_and_its_ratios_of_the_pairs_beside_it():
    # The machine slows down in the middle request: both trees, and the references, feel it.
    before = _tree("before", [20.0, 40.0, 22.0], ok=[1.0, 2.0, 1.1], admin=[20.0, 40.0, 22.0])
    after = _tree("после", [12.0, 24.0, 11.0], ok=[1.0, 2.0, 1.0], admin=[20.0, 40.0, 20.0])
    result = cpu.figures([before, after], ARGS)
    row = result["pages"][PAGE]
    assert round(row["change"], 3) == -0.4  # pairs 0.6, 0.6, 0.5: the median 0.6
    assert row["после"]["admin"] == 0.6  # 12/20, 24/40, 11/20
    assert row["после"]["ok"] == 12.0  # 12/1, 24/2, 11/1
    assert row["before"]["cpu"] == 22.0
    assert result["pages"][cpu.ADMIN]["после"]["admin"] == 1.0
    assert "Банк: наставники | 3 | 22 | 3 | 12 |" in cpu.table(result)


def test_two_runs_agree_when_every_figure_is_within_the_limit():
    first = cpu.figures(
        [
            _tree("before", [20.0] * 3, ok=[1.0] * 3, admin=[20.0] * 3),
            _tree("после", [12.0] * 3, ok=[1.0] * 3, admin=[20.0] * 3),
        ],
        ARGS,
    )
    near = cpu.figures(  # everything 10 % slower, the page of «после» 5 % more than that
        [
            _tree("before", [22.0] * 3, ok=[1.1] * 3, admin=[22.0] * 3),
            _tree("после", [13.86] * 3, ok=[1.1] * 3, admin=[22.0] * 3),
        ],
        ARGS,
    )
    text, close, compared = cpu.agree(first, near, within=15)
    assert (close, compared) == (11, 11)  # 2 ratios × 2 trees + the change, less the references
    assert "**!**" not in text
    assert "В пределах 15 %: 11 из 11." in text
    far = cpu.figures(  # «после» of the page 30 % dearer than in the first run
        [
            _tree("before", [20.0] * 3, ok=[1.0] * 3, admin=[20.0] * 3),
            _tree("после", [15.6] * 3, ok=[1.0] * 3, admin=[20.0] * 3),
        ],
        ARGS,
    )
    text, close, compared = cpu.agree(first, far, within=15)
    # The page's «× ok» and «к admin» of «после» and its change are 30 % apart.
    assert compared - close == 3
    assert text.count("**!**") == 3


def test_how_far_apart_is_in_per_cent_of_the_smaller():
    assert cpu.apart(1.0, 1.15) == cpu.apart(1.15, 1.0)
    assert round(cpu.apart(0.6, 0.69), 6) == 15.0
