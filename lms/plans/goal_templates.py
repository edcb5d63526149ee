"""Starting points for a goal. The learner edits every word before saving.

Each template fills the goal form: the value behind the goal, behaviours to
practise, a circle of influence, support to ask for and a few first actions.
Add a template by adding an entry; the key appears in URLs and is stored on
goals started from it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from flask_babel import gettext


def N_(text: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks ``text`` for translation where it is defined; ``in_language`` translates it."""
    return text


@dataclass(frozen=True)
class GoalTemplate:
    key: str
    title: str
    summary: str
    value: str
    behaviours: str
    circle_of_influence: str
    support_needed: str
    actions: tuple[str, ...]


GOAL_TEMPLATES: tuple[GoalTemplate, ...] = (
    GoalTemplate(
        key="speak-up",
        title=N_("Speak up when I witness exclusion"),
        summary=N_("Move from noticing exclusion to saying something, in the moment or soon "
                   "after."),
        value=N_("Staying silent tells the person excluded that they are on their own. I want "
              "colleagues to know I will not let it pass."),
        behaviours=N_("Notice when someone is talked over, ignored or joked about.\n"
                   "Name what happened calmly and without blame.\n"
                   "Check in privately with the person affected."),
        circle_of_influence=N_("Team meetings, ward rounds, teaching sessions and corridor "
                            "conversations I am part of."),
        support_needed=N_("Practice with phrases to interrupt bias; a colleague to debrief with."),
        actions=(
            N_("Learn three phrases to interrupt bias and keep them on my phone"),
            N_("Check in with a colleague after I see them excluded"),
            N_("Ask a trusted peer to tell me when I miss a moment to speak up"),
        ),
    ),
    GoalTemplate(
        key="inclusive-meetings",
        title=N_("Make meetings more inclusive"),
        summary=N_("Change how the meetings you run or join share time, voice and credit."),
        value=N_("Good ideas are lost when the same voices fill every meeting. Everyone here "
              "deserves to be heard and credited."),
        behaviours=N_("Invite quieter colleagues in by name, with notice.\n"
                   "Credit ideas to the person who first raised them.\n"
                   "Share agendas and papers in advance."),
        circle_of_influence=N_("The meetings I chair, and the ones where I can suggest changes "
                            "to the chair."),
        support_needed=N_("Agreement from my manager to try a new meeting format."),
        actions=(
            N_("Send the agenda two days before each meeting I chair"),
            N_("Open the next meeting with a round where everyone speaks once"),
            N_("Rotate who chairs and who takes notes"),
        ),
    ),
    GoalTemplate(
        key="learn-community",
        title=N_("Learn about a community I'm not part of"),
        summary=N_("Listen to and learn from people whose lives differ from yours, on their "
                   "terms."),
        value=N_("I cannot be an ally to people whose experience I have never tried to "
                 "understand."),
        behaviours=N_("Seek out voices from the community itself.\n"
                   "Listen to understand rather than to respond.\n"
                   "Notice my assumptions and question them."),
        circle_of_influence=N_("My own reading and listening; conversations with patients, "
                            "students and colleagues."),
        support_needed=N_("Suggestions of books, talks and local organisations from our staff "
                       "networks."),
        actions=(
            N_("Read a book or memoir written by a member of the community"),
            N_("Attend an event run by a community organisation or staff network"),
            N_("Share one thing I learned with my team"),
        ),
    ),
    GoalTemplate(
        key="share-power",
        title=N_("Share power in decisions"),
        summary=N_("Use your 'power to' and 'power with' so decisions include the people "
                   "they affect."),
        value=N_("Decisions made without the people they affect repeat the inequities we say we "
              "want to end."),
        behaviours=N_("Ask who is missing before a decision is made.\n"
                   "Run an equity impact check on team decisions.\n"
                   "Hand over visible opportunities to colleagues with less power."),
        circle_of_influence=N_("Decisions in my team, on committees I sit on and in my teaching."),
        support_needed=N_("A simple equity impact checklist; my manager's backing to slow down a "
                       "decision when needed."),
        actions=(
            N_("Ask 'who is affected and who is not in the room?' at the next team decision"),
            N_("Nominate a junior colleague to present our work"),
            N_("Run an equity impact assessment on one team decision"),
        ),
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in GOAL_TEMPLATES}


def in_language(template: GoalTemplate) -> GoalTemplate:
    """``template`` with its words in the reader's language."""
    changes = {f.name: gettext(getattr(template, f.name)) for f in fields(template)
               if f.name not in ("key", "actions")}
    return replace(template, actions=tuple(gettext(a) for a in template.actions), **changes)
