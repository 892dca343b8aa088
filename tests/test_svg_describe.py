"""The generated description (``<desc>`` and default alt text) reads like the flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowzap_docs.parser import parse
from flowzap_docs.svg.describe import MAX_TEXT, describe, title

EXAMPLES = Path(__file__).parent / "data" / "examples"


def example(name: str):  # noqa: ANN201
    return parse((EXAMPLES / name).read_text("utf-8"))


def test_lanes_are_named_in_order() -> None:
    text = describe(example("event-driven.fz"))
    assert text.startswith("Swimlane diagram with 3 lanes: Event Producer, Message Broker, Event Consumer.")


def test_steps_in_a_lane_read_in_flow_order() -> None:
    text = describe(example("event-driven.fz"))
    assert "Event Producer: Start, then User action occurs, then Create event payload, then Receive event message" in text


def test_decisions_list_where_each_branch_goes() -> None:
    text = describe(example("event-driven.fz"))
    assert "Decision 'Valid schema?': Yes -> Route to topic partition; No -> Send to dead letter queue." in text


def test_cross_lane_arrows_name_the_other_lane() -> None:
    text = describe(example("event-driven.fz"))
    assert "Send to dead letter queue, then End in Event Producer (DLQ)." in text


def test_loops_self_edges_and_empty_labels_are_described() -> None:
    text = describe(example("order-approval.fz"))
    assert "Loop 'retry up to 3 times' around Authorize payment and Authorized?." in text
    edge = describe(example("edge-cases.fz"))
    assert "step n3, which loops back to itself." in edge


def test_every_node_is_mentioned() -> None:
    d = example("order-approval.fz")
    text = describe(d)
    for node in d.nodes:
        assert (node.title if node.shape == "taskbox" else node.label) in text


def test_long_labels_are_shortened() -> None:
    d = parse('L { # Lane\nn1: rectangle label:"' + "word " * 1000 + '"\n}\n')
    text = describe(d)
    assert len(text) < 400 and "…" in text and MAX_TEXT < 200


@pytest.mark.parametrize("view", ["sequence", "architecture"])
def test_other_views_have_their_own_description(view: str) -> None:
    text = describe(example("request-response.fz"), view)
    assert text.startswith("Sequence diagram" if view == "sequence" else "Architecture diagram")
    assert "Browser" in text and "API server" in text


def test_title_names_the_lanes() -> None:
    assert title(example("request-response.fz")) == "Workflow diagram: Browser, API server, Database"


def test_huge_diagrams_get_a_bounded_description_with_totals() -> None:
    body = "".join(f'n{i}: rectangle label:"Step number {i}"\n' for i in range(1, 401))
    body += "".join(f"n{i}.handle(right) -> n{i + 1}.handle(left)\n" for i in range(1, 400))
    text = describe(parse("L { # Lane\n" + body + "}\n"))
    assert len(text) <= 3000
    assert text.endswith("(Description shortened; the diagram has 1 lane, 400 steps and 399 connections.)")


def test_task_cards_say_who_does_them() -> None:
    text = describe(example("order-approval.fz"))
    assert "From 'Approve order' (owner: Sales manager): Approved -> Reserve items" in text
