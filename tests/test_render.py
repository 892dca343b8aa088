"""``render_svg``: options, errors, ids, translation, determinism, size and robustness."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flowzap_docs
from flowzap_docs.diagnostics import FlowZapError
from flowzap_docs.model import SIDES
from flowzap_docs.parser import parse
from flowzap_docs.render import VIEWS, render_svg

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = sorted((DATA / "examples").glob("*.fz"))
ALL = EXAMPLES + sorted((DATA / "corpus").glob("*.fz"))
EVENT = (DATA / "examples" / "event-driven.fz").read_text("utf-8")
SMALL = 'Team { # Team\nn1: circle label:"Start"\nn2: rectangle label:"Work"\nn1.handle(right) -> n2.handle(left)\n}\n'


def ids(svg: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', svg)


def test_text_and_diagram_give_the_same_svg() -> None:
    assert render_svg(SMALL) == render_svg(parse(SMALL))
    assert flowzap_docs.render_svg(SMALL) == render_svg(SMALL)


def test_output_is_well_formed_xml_for_every_example() -> None:
    for path in ALL:
        root = ET.fromstring(render_svg(path.read_text("utf-8")))
        assert root.get("class") == "flowzap", path


@pytest.mark.parametrize(("option", "value", "code", "hint"), [
    ("view", "workflw", "FZ301", "workflow"),
    ("view", "gantt", "FZ301", "one of"),
    ("theme", "drak", "FZ302", "dark"),
    ("theme", "solarized", "FZ302", "one of"),
])
def test_unknown_view_or_theme_is_a_flowzap_error(option: str, value: str, code: str, hint: str) -> None:
    with pytest.raises(FlowZapError) as info:
        render_svg(SMALL, **{option: value})
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line, diag.column, diag.severity) == (code, 1, 1, "error")
    assert hint in (diag.hint or "")


def test_a_registered_view_whose_module_is_missing_is_a_flowzap_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(VIEWS, "ghost", "flowzap_docs.views.no_such_view:render_ghost")
    with pytest.raises(FlowZapError) as info:
        render_svg(SMALL, view="ghost")
    assert info.value.diagnostics[0].code == "FZ303"


def test_parse_errors_come_through_with_their_lines() -> None:
    with pytest.raises(FlowZapError) as info:
        render_svg('Team { # Team\nn1: hexagon label:"x"\n}\n')
    assert info.value.diagnostics[0].line == 2


@pytest.mark.parametrize("bad", ["1abc", "has space", 'q"uote', "", "a>b"])
def test_a_bad_id_prefix_is_refused(bad: str) -> None:
    with pytest.raises(FlowZapError) as info:
        render_svg(SMALL, id_prefix=bad)
    assert info.value.diagnostics[0].code == "FZ304"


def test_every_id_starts_with_the_chosen_prefix() -> None:
    svg = render_svg(EVENT, id_prefix="intro-diagram")
    found = ids(svg)
    assert found and all(i.startswith("intro-diagram") for i in found)
    assert "url(#intro-diagram-a)" in svg


def test_default_prefix_is_derived_from_content_and_options() -> None:
    a, b = render_svg(SMALL), render_svg(SMALL.replace("Work", "Rest"))
    pa, pb = ids(a)[0], ids(b)[0]
    assert re.fullmatch(r"fz-[0-9a-f]{8}", pa) and re.fullmatch(r"fz-[0-9a-f]{8}", pb)
    assert pa != pb
    assert ids(render_svg(SMALL, theme="dark"))[0] != pa
    assert all(i.startswith(pa) for i in ids(a))


def test_two_diagrams_share_a_page_without_id_clashes() -> None:
    page = render_svg(EVENT) + render_svg(SMALL)
    found = ids(page)
    assert len(found) == len(set(found))


def test_lang_picks_inline_translations() -> None:
    text = SMALL.replace('label:"Start"', 'label:"Start" label@fr:"Début"')
    assert "Début" in render_svg(text, lang="fr")
    assert "Début" not in render_svg(text)
    assert ">Start<" in render_svg(text, lang="de")


def test_translate_function_is_applied_to_labels() -> None:
    svg = render_svg(SMALL, translate=lambda s: {"Work": "Travail"}.get(s, s))
    assert ">Travail<" in svg and ">Work<" not in svg


def test_description_is_the_desc_element() -> None:
    from flowzap_docs.svg.describe import describe

    svg = render_svg(EVENT)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)  # type: ignore[union-attr]
    assert desc.replace("&gt;", ">") == describe(parse(EVENT))


@pytest.mark.parametrize("theme", ["default", "dark", "mono", "neutral"])
def test_every_theme_renders_every_example(theme: str) -> None:
    for path in EXAMPLES:
        ET.fromstring(render_svg(path.read_text("utf-8"), theme=theme))


def test_output_is_byte_identical_across_processes() -> None:
    script = (
        "import hashlib, pathlib, sys\n"
        "from flowzap_docs.render import render_svg\n"
        "h = hashlib.sha256()\n"
        "for p in sys.argv[1:]:\n"
        "    h.update(render_svg(pathlib.Path(p).read_text('utf-8')).encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", script, *map(str, ALL)], capture_output=True, text=True,
                             env=env, check=True, cwd=ROOT)
        digests.add(out.stdout.strip())
    here = hashlib.sha256()
    for p in ALL:
        here.update(render_svg(p.read_text("utf-8")).encode())
    digests.add(here.hexdigest())
    assert len(digests) == 1


def test_event_driven_is_smaller_than_graphviz() -> None:
    ours = len(render_svg(EVENT).encode("utf-8"))
    dot = shutil.which("dot")
    if dot:
        sys.path.insert(0, str(ROOT / "bench"))
        from dot_export import to_dot

        theirs = len(subprocess.run([dot, "-Tsvg"], input=to_dot(parse(EVENT)).encode(), capture_output=True,
                                    check=True).stdout)
    else:
        theirs = 14929  # measured with Graphviz 2.43 on bench/event-driven.dot
    assert ours < theirs, (ours, theirs)


def test_numbers_are_rounded_to_one_decimal() -> None:
    body = render_svg(EVENT).split("</style>", 1)[1]
    assert not re.search(r"\d\.\d\d", body)


# --- robustness: anything that parses renders, and nothing but FlowZapError escapes ----------------

def lane(name: str, body: list[str], title: str | None = None) -> str:
    return f"{name} {{ # {title or name}\n" + "\n".join(body) + "\n}\n"


def assert_renders(text: str) -> str:
    """Every view draws ``text`` as well-formed SVG; returns the workflow drawing."""
    for view in VIEWS:
        if view != "workflow":
            ET.fromstring(render_svg(text, view=view))
    svg = render_svg(text)
    ET.fromstring(svg)
    return svg


@pytest.mark.slow
def test_two_hundred_lanes() -> None:
    text = "".join(lane(f"L{i}", [f'n{i}: rectangle label:"Step {i}"'] +
                        ([f"n{i}.handle(bottom) -> L{i + 1}.n{i + 1}.handle(top)"] if i < 199 else []))
                   for i in range(200))
    svg = assert_renders(text)
    assert svg.count('class="fz-lane"') == 200


def test_a_one_megabyte_label() -> None:
    big = ("word " * 210_000)[:1_000_000]
    svg = assert_renders(lane("L", [f'n1: rectangle label:"{big}"', 'n2: circle label:"End"',
                                    "n1.handle(right) -> n2.handle(left)"]))
    assert 'data-node="n1"' in svg


def test_fifty_edges_on_one_side() -> None:
    body = ['n0: rectangle label:"Hub"'] + [f'n{i}: rectangle label:"Spoke {i}"' for i in range(1, 51)]
    body += [f"n0.handle(right) -> n{i}.handle(left)" for i in range(1, 51)]
    svg = assert_renders(lane("L", body))
    assert svg.count('data-from="n0"') == 50


def test_lane_with_one_node_and_empty_lanes() -> None:
    text = lane("A", ['n1: circle label:"Only"']) + lane("B", []) + lane("C", ['n2: diamond label:"?"'])
    svg = assert_renders(text)
    assert svg.count('class="fz-lane"') == 3


@pytest.mark.parametrize("src_side", SIDES)
@pytest.mark.parametrize("dst_side", SIDES)
def test_every_side_combination(src_side: str, dst_side: str) -> None:
    same = lane("A", ['n1: rectangle label:"One"', 'n2: rectangle label:"Two"',
                      f"n1.handle({src_side}) -> n2.handle({dst_side})",
                      f"n2.handle({src_side}) -> n1.handle({dst_side})",
                      f"n1.handle({src_side}) -> n1.handle({dst_side})"])
    cross = lane("A", ['n1: diamond label:"One?"', f"n1.handle({src_side}) -> C.n3.handle({dst_side})"]) + \
        lane("B", ['n2: circle label:"Two"']) + \
        lane("C", ['n3: taskbox label:"Three|a|b" owner:"me"', f"n3.handle({src_side}) -> A.n1.handle({dst_side})"])
    for text in (same, cross):
        svg = assert_renders(text)
        assert f'data-from-handle="{src_side}" data-to-handle="{dst_side}"' in svg


ident = st.from_regex(r"[a-z][a-z0-9]{0,4}", fullmatch=True)
label = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
    lambda s: s.replace("\\", "").replace('"', ""))


@st.composite
def diagrams(draw: st.DrawFn) -> str:
    n_lanes = draw(st.integers(1, 4))
    n_nodes = draw(st.integers(1, 10))
    shapes = ("circle", "rectangle", "diamond", "taskbox")
    nodes = [(f"n{i}", draw(st.integers(0, n_lanes - 1)), draw(st.sampled_from(shapes)), draw(label))
             for i in range(1, n_nodes + 1)]
    edges = draw(st.lists(st.tuples(st.integers(0, n_nodes - 1), st.sampled_from(SIDES), st.integers(0, n_nodes - 1),
                                    st.sampled_from(SIDES), st.one_of(st.none(), label)), max_size=14))
    loops = draw(st.lists(st.lists(st.integers(0, n_nodes - 1), min_size=2, max_size=4, unique=True), max_size=2)
                 if n_nodes >= 2 else st.just([]))
    lanes: list[list[str]] = [[] for _ in range(n_lanes)]
    for nid, li, shape, text in nodes:
        lanes[li].append(f'{nid}: {shape} label:"{text}"')
    for a, sa, b, sb, lab in edges:
        (na, la, _, _), (nb, lb, _, _) = nodes[a], nodes[b]
        extra = f' [label="{lab}"]' if lab else ""
        lanes[la].append(f"{na}.handle({sa}) -> L{lb}.{nb}.handle({sb}){extra}")
    for members in loops:
        lanes[0].append("loop [again] " + " ".join(nodes[m][0] for m in members))
    return "".join(lane(f"L{i}", body) for i, body in enumerate(lanes))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_anything_that_parses_renders(text: str) -> None:
    try:
        diagram = parse(text)
    except FlowZapError:
        return
    for view in VIEWS:
        ET.fromstring(render_svg(diagram, view=view))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_lane_node_edge_and_loop_is_drawn_with_its_contract(path: Path) -> None:
    diagram = parse(path.read_text("utf-8"))
    root = ET.fromstring(render_svg(diagram))
    groups = list(root.iter("{http://www.w3.org/2000/svg}g"))
    by_class: dict[str, list[ET.Element]] = {}
    for g in groups:
        by_class.setdefault(g.get("class", ""), []).append(g)
    assert [g.get("data-lane") for g in by_class["fz-lane"]] == [lane.id for lane in diagram.lanes]
    drawn_nodes = {(g.get("data-node"), g.get("data-shape"), g.get("data-lane")) for g in by_class["fz-node"]}
    assert drawn_nodes == {(n.id, n.shape, n.lane) for n in diagram.nodes}
    drawn_edges = sorted((g.get("data-from"), g.get("data-to"), g.get("data-from-handle"), g.get("data-to-handle"))
                         for g in by_class["fz-edge"])
    assert drawn_edges == sorted((e.source, e.target, e.source_side, e.target_side) for e in diagram.edges)
    def squash(text: str) -> str:  # wrapped lines are separate tspans: compare without spaces
        return "".join(text.split())

    labels = sorted(squash("".join(g.itertext())) for g in by_class.get("fz-edge-label", []))
    assert labels == sorted(squash(e.label) for e in diagram.edges if e.label)
    captions = ["".join(g.itertext()) for g in by_class.get("fz-loop", [])]
    assert captions == [f"loop [{lp.condition}]" for lp in diagram.loops]
