"""Words for generated institution-scale data: names, units, texts people would write."""

from __future__ import annotations

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adaeze", "Aiko", "Alejandro", "Amara", "Ana", "Andrei", "Anh", "Ari",
    "Aroha", "Ayesha", "Bea", "Benedikt", "Bilal", "Camila", "Chen", "Chidi", "Dalia", "Daniel",
    "Deepa", "Diego", "Dmitri", "Efua", "Elif", "Emeka", "Esi", "Fatima", "Felix", "Gabriel",
    "Grace", "Hamid", "Hana", "Ines", "Isaac", "Jamal", "Javier", "Jin", "Jordan", "Kai",
    "Kalani", "Kavya", "Kenji", "Kofi", "Laila", "Leah", "Lucía", "Malik", "Mariam", "Mateo",
    "Mei", "Miguel", "Nadia", "Naveen", "Nia", "Noah", "Olga", "Omar", "Parisa", "Priya",
    "Quinn", "Rafael", "Rania", "Reza", "Rosa", "Sadia", "Samir", "Sana", "Sofia", "Tariq",
    "Thandiwe", "Tomás", "Uma", "Valentina", "Wei", "Yara", "Yusuf", "Zainab", "Zoe", "Zuri",
)
LAST_NAMES = (
    "Abara", "Adeyemi", "Ahmed", "Alvarez", "Anderson", "Bakshi", "Begay", "Bello", "Brown",
    "Castillo", "Chen", "Cho", "Dubois", "Eze", "Fernández", "Fofanah", "Garcia", "Gonzalez",
    "Haddad", "Hernández", "Hussain", "Ito", "Ivanova", "Jackson", "Johnson", "Kahale", "Kim",
    "Kowalski", "Kumar", "Lee", "López", "Mensah", "Miller", "Morales", "Müller", "Nakamura",
    "Nguyen", "Novak", "Nwosu", "Okafor", "Okonkwo", "Olsen", "Park", "Patel", "Petrova",
    "Quispe", "Rahman", "Reyes", "Rivera", "Rossi", "Said", "Santos", "Shah", "Singh", "Smith",
    "Tanaka", "Thompson", "Torres", "Tran", "Vargas", "Wang", "Whitehorse", "Williams",
    "Yamamoto", "Yilmaz", "Zhang",
)
PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")

DIVISIONS = (
    "School of Medicine", "School of Nursing", "College of Health Sciences",
    "Graduate Medical Education", "Hospital Operations", "Research Institute",
    "Student Affairs", "University Libraries", "Finance and Administration",
    "People and Culture", "Facilities and Campus Services", "Information Technology",
    "Community Health", "School of Dentistry", "School of Public Health",
)
UNITS = (
    "Anesthesiology", "Cardiology", "Dermatology", "Emergency Medicine", "Endocrinology",
    "Family Medicine", "Gastroenterology", "General Surgery", "Geriatrics", "Hematology",
    "Infectious Diseases", "Internal Medicine", "Nephrology", "Neurology", "Neurosurgery",
    "Obstetrics and Gynecology", "Oncology", "Ophthalmology", "Orthopaedic Surgery",
    "Otolaryngology", "Pathology", "Pediatrics", "Physical Medicine and Rehabilitation",
    "Psychiatry", "Pulmonology", "Radiation Oncology", "Radiology", "Rheumatology", "Urology",
    "Medical Education", "Simulation Centre", "Clinical Research Office", "Admissions",
    "Financial Aid", "Registrar", "Accessibility Services", "Counselling Centre",
    "Biomedical Sciences", "Biostatistics", "Epidemiology", "Health Policy", "Nutrition",
    "Occupational Therapy", "Physical Therapy", "Physician Assistant Studies", "Pharmacy",
    "Respiratory Care", "Social Work", "Patient Experience", "Quality and Safety",
    "Security Services", "Environmental Services", "Payroll", "Procurement", "Communications",
    "Alumni Relations", "Development Office", "Legal Affairs", "Compliance Office",
)
COHORTS = (
    "Ally Champions", "Residents' Inclusion Circle", "New Faculty Fellows",
    "Nurse Leaders Forum", "First-Generation Mentors", "Search Committee Chairs",
    "Student Ambassadors", "Managers Learning Group",
)

# (title, summary, topics) of generated modules beyond those in ``modules/``.
MODULE_TOPICS = (
    ("Microaggressions in Clinical Teams",
     "Recognise everyday slights on the ward and in clinic, and respond in the moment.",
     ["microaggressions", "communication"]),
    ("Inclusive Hiring Panels",
     "Structure interviews and decisions so that the best candidate, not the most familiar "
     "one, is chosen.", ["hiring", "decision-making"]),
    ("Bystander Intervention",
     "The five Ds of intervening when you witness harassment or bias.",
     ["bystander", "safety"]),
    ("Health Equity and Data",
     "Read outcome data by group and ask what the gaps tell us.", ["health-equity", "data"]),
    ("Language Access for Patients",
     "Working with interpreters and plain language so every patient understands their care.",
     ["language-access", "patients"]),
    ("Gender-Affirming Practice",
     "Names, pronouns and respectful care for transgender and non-binary people.",
     ["gender", "patients"]),
    ("Anti-Racism in Medical Education",
     "How curricula, assessment and feedback can reproduce or undo racial bias.",
     ["anti-racism", "teaching"]),
    ("Inclusive Teaching",
     "Classroom and bedside teaching that invites every learner in.", ["teaching"]),
    ("Accessible Meetings and Events",
     "Plan meetings and events that everyone can attend and take part in.",
     ["accessibility", "meetings"]),
    ("Religious Diversity at Work",
     "Observance, accommodation and respect for colleagues of every faith and none.",
     ["religion", "workplace"]),
    ("Supporting First-Generation Students",
     "What students who are first in their family at university need from us.",
     ["students", "mentoring"]),
    ("Neurodiversity at Work", "Working well with neurodivergent colleagues and learners.",
     ["neurodiversity", "workplace"]),
    ("Weight Bias in Health Care",
     "How weight stigma harms patients, and how to give respectful care.",
     ["bias", "patients"]),
    ("Equitable Feedback and Evaluation",
     "Write evaluations that describe performance, not personality.",
     ["assessment", "bias"]),
    ("Allyship for Managers",
     "What people who lead teams can do to make allyship part of how work gets done.",
     ["leadership", "allyship"]),
    ("Cultural Humility", "Lifelong self-reflection in place of cultural competence checklists.",
     ["culture", "reflection"]),
)
SECTION_TITLES = (
    "Why this matters", "What the research says", "A story from the wards",
    "Recognising the pattern", "What to say", "What to do next time", "Common questions",
    "Practising the skill", "When it goes wrong", "Putting it into practice",
    "Working with your team", "Summary and resources",
)
PAGE_PARAGRAPHS = (
    "Most of us want to treat everyone fairly. Good intentions are not enough on their own: "
    "habits, systems and time pressure shape what we notice and what we let pass.",
    "Think of a recent shift, class or meeting. Who spoke most? Whose ideas were picked up, "
    "and whose were repeated later by someone else?",
    "Small changes, made consistently, add up. The steps below take a minute each and can be "
    "practised this week.",
    "Colleagues who are targeted by bias often carry the extra work of deciding whether to "
    "speak up. An ally can share that load.",
    "When you are unsure what to say, a question is a good start: *What did you mean by "
    "that?* or *How did that land for you?*",
    "Notice the moment, name what happened, and follow up privately with the person "
    "affected. You will not always get it right, and that is all right.",
)

REFLECTION_SENTENCES = (
    "I noticed that the same three people spoke in almost every team meeting this month.",
    "When I looked at who was asked to cover weekend shifts, it was mostly the newest staff.",
    "A resident told me she no longer raises concerns because she was laughed at once.",
    "I realised that I had assumed the patient's daughter did not speak English.",
    "Our interview questions favoured candidates who had trained at places we know.",
    "I want to ask quieter colleagues for their view before the discussion closes.",
    "The schedule works well for people without caring duties, and badly for the rest.",
    "Next month I will review our rota with the people it affects most.",
    "I felt uncomfortable and stayed silent, and I want to act differently next time.",
    "We never asked the night staff what they thought about the change.",
    "My own background makes some barriers invisible to me unless someone names them.",
    "I will share the agenda two days before each meeting so everyone can prepare.",
    "The feedback forms described women residents as 'emotional' far more often.",
    "I am going to check in with the colleague who was talked over on Tuesday.",
    "Access to the teaching room depends on a lift that is often out of order.",
    "I have more influence over our hiring panel than I had admitted to myself.",
    "We could record the session and offer a second time slot later in the day.",
    "Students from rural areas told us the early start meant a two-hour commute.",
    "I will bring the survey results to the education committee next quarter.",
    "It helped to write down who benefits from the way things are done now.",
)
SHORT_ANSWERS = (
    "Moving the weekly teaching session to 7 a.m.", "Changing the on-call rota",
    "How we choose chief residents", "Our clinic's interpreter booking process",
    "First-generation university student", "Parent of two young children",
    "Speaks English as a second language", "Grew up in a rural town", "Wheelchair user",
    "Practising Muslim", "Queer and out at work", "Immigrant from the Philippines",
)
REVIEW_APPROVALS = (
    "Thank you for a thoughtful reflection. Your plan is specific and realistic.",
    "Clear and honest. I especially liked how you named who was not consulted.",
    "Well done. The steps you chose are within your circle of influence.",
    "This is a strong piece of work; please share how the survey goes.",
)
REVIEW_IMPROVEMENTS = (
    "Please say more about who is affected and how you could find out what they think.",
    "The steps are a good start; add when you will take each one and how you will know it "
    "worked.",
    "Consider the biases in how the decision was made, not only its outcome.",
    "Could you describe one concrete action you will take in the next month?",
)
REVIEW_COMMENTS = (
    "Thanks for sharing this. It would be good to talk about it at our next check-in.",
    "A helpful reflection; the story about the handover stayed with me.",
    "I appreciate your honesty here. Let me know if you want to practise the conversation.",
)
CHECKIN_DID = (
    "Sent the agenda ahead of two meetings and asked two quieter colleagues to open.",
    "Checked in with a colleague after a difficult handover.",
    "Raised the rota question with my manager.",
    "Read the article on interrupting bias and practised two phrases.",
)
CHECKIN_OBSTACLES = (
    "Clinic overran twice, so the meetings were shortened.",
    "I was not sure how to start the conversation.",
    "Rota changes need approval from the division first.",
    "",
)
CHECKIN_NEXT = (
    "Try the speaking round again next week.",
    "Ask a peer to observe a meeting and give me feedback.",
    "Bring it up at the team away day.",
    "Keep going and write another check-in in a month.",
)
PLAN_COMMENTS = (
    "This is a realistic plan. Happy to be your practice partner for the first action.",
    "Good goal. Consider telling your team about it so they can hold you to it.",
    "Well done on the progress so far; the rota change will take persistence.",
)

# (slug, title, description) of live workshops besides those modules name.
TRAININGS = (
    ("systemic-racism-part-1", "Systemic Racism Pt. 1",
     "How racism is built into institutions, and what it takes to change them."),
    ("lunch-and-unlearn", "Lunch and Unlearn",
     "An experiential activity over lunch for faculty, staff, trainees and students."),
    ("bystander-practice-lab", "Bystander Practice Lab",
     "Practise interrupting bias with actors in realistic clinical scenarios."),
    ("inclusive-teaching-studio", "Inclusive Teaching Studio",
     "Bring a session you teach and leave with changes that invite every learner in."),
    ("allyship-open-forum", "Allyship Open Forum",
     "A monthly open forum for allies across the institution: questions, stories, support."),
)
LOCATIONS = (
    "Main Campus, Room 1120", "Health Sciences Building, Auditorium B",
    "Library, Seminar Room 3", "Simulation Centre, Suite 2", "Student Union, Room 205",
)
