"""Read an incoming activity, answer it, and print both in their wire form.

    python test_samples/activity_basics/app.py [path/to/activity.json] [--text "reply text"]

This is what an agent does with every turn, minus the HTTP: parse the channel's JSON into an
``Activity``, strip the agent's own @mention, build a reply addressed back to the sender, and
serialise it the way it would be POSTed to the channel.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from microsoft_agents.activity import Activity, ActivityTypes, CardAction, HeroCard

HERE = Path(__file__).resolve().parent


def answer(incoming: Activity, reply_text: str | None) -> Activity:
    """The agent's reply to ``incoming``: an echo plus a card with a suggested follow-up."""
    said = incoming.remove_recipient_mention() if incoming.is_message() else ""
    reply = incoming.create_reply(reply_text or f"You said: {said}")
    card = HeroCard(title="Anything else?").add_button(
        CardAction(type="imBack", title="Tell me more", value="more")
    )
    reply.add_attachment(card.to_attachment())
    return reply


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("activity", nargs="?", default=str(HERE / "incoming.json"))
    parser.add_argument("--text", help="reply text (default: echo the message)")
    args = parser.parse_args(argv)

    raw = Path(args.activity).read_text(encoding="utf-8")
    incoming = Activity.model_validate_json(raw)
    if incoming.type != ActivityTypes.message:
        print(f"not a message activity: {incoming.type}", file=sys.stderr)
    reply = answer(incoming, args.text)

    print("incoming activity, as parsed:")
    print(json.dumps(incoming.model_dump(mode="json", by_alias=True, exclude_unset=True), indent=2))
    print("\nreply the agent would send:")
    print(json.dumps(reply.model_dump(mode="json", by_alias=True, exclude_unset=True), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
