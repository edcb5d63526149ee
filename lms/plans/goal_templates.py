"""Starting points for a goal. The learner edits every word before saving.

Each template fills the goal form: the value behind the goal, behaviours to
practise, a circle of influence, support to ask for and a few first actions.
Add a template by adding an entry; the key appears in URLs and is stored on
goals started from it.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        title="Speak up when I witness exclusion",
        summary="Move from noticing exclusion to saying something, in the moment or soon after.",
        value="Staying silent tells the person excluded that they are on their own. I want "
              "colleagues to know I will not let it pass.",
        behaviours="Notice when someone is talked over, ignored or joked about.\n"
                   "Name what happened calmly and without blame.\n"
                   "Check in privately with the person affected.",
        circle_of_influence="Team meetings, ward rounds, teaching sessions and corridor "
                            "conversations I am part of.",
        support_needed="Practice with phrases to interrupt bias; a colleague to debrief with.",
        actions=(
            "Learn three phrases to interrupt bias and keep them on my phone",
            "Check in with a colleague after I see them excluded",
            "Ask a trusted peer to tell me when I miss a moment to speak up",
        ),
    ),
    GoalTemplate(
        key="inclusive-meetings",
        title="Make meetings more inclusive",
        summary="Change how the meetings you run or join share time, voice and credit.",
        value="Good ideas are lost when the same voices fill every meeting. Everyone here "
              "deserves to be heard and credited.",
        behaviours="Invite quieter colleagues in by name, with notice.\n"
                   "Credit ideas to the person who first raised them.\n"
                   "Share agendas and papers in advance.",
        circle_of_influence="The meetings I chair, and the ones where I can suggest changes "
                            "to the chair.",
        support_needed="Agreement from my manager to try a new meeting format.",
        actions=(
            "Send the agenda two days before each meeting I chair",
            "Open the next meeting with a round where everyone speaks once",
            "Rotate who chairs and who takes notes",
        ),
    ),
    GoalTemplate(
        key="learn-community",
        title="Learn about a community I'm not part of",
        summary="Listen to and learn from people whose lives differ from yours, on their terms.",
        value="I cannot be an ally to people whose experience I have never tried to understand.",
        behaviours="Seek out voices from the community itself.\n"
                   "Listen to understand rather than to respond.\n"
                   "Notice my assumptions and question them.",
        circle_of_influence="My own reading and listening; conversations with patients, "
                            "students and colleagues.",
        support_needed="Suggestions of books, talks and local organisations from our staff "
                       "networks.",
        actions=(
            "Read a book or memoir written by a member of the community",
            "Attend an event run by a community organisation or staff network",
            "Share one thing I learned with my team",
        ),
    ),
    GoalTemplate(
        key="share-power",
        title="Share power in decisions",
        summary="Use your 'power to' and 'power with' so decisions include the people they affect.",
        value="Decisions made without the people they affect repeat the inequities we say we "
              "want to end.",
        behaviours="Ask who is missing before a decision is made.\n"
                   "Run an equity impact check on team decisions.\n"
                   "Hand over visible opportunities to colleagues with less power.",
        circle_of_influence="Decisions in my team, on committees I sit on and in my teaching.",
        support_needed="A simple equity impact checklist; my manager's backing to slow down a "
                       "decision when needed.",
        actions=(
            "Ask 'who is affected and who is not in the room?' at the next team decision",
            "Nominate a junior colleague to present our work",
            "Run an equity impact assessment on one team decision",
        ),
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in GOAL_TEMPLATES}
