"""The demo archive's accounts, works and comments, as plain text.

Fandoms, characters and prose are all invented for this project. Text is typed
the way an author types it: paragraphs separated by blank lines, a line of
"* * *" for a scene break, and inline HTML such as <em> where it is wanted.
"""

from dataclasses import dataclass

from stories.models import Rating

SCENE_BREAK = "* * *"

NO_WARNINGS = "No Archive Warnings Apply"
NO_WARNINGS_CHOSEN = "Choose Not To Use Archive Warnings"
VIOLENCE = "Graphic Depictions Of Violence"
DEATH = "Major Character Death"

STARLIGHT = "Starlight Academy (Anime)"
CLOCKWORK = "The Clockwork Kingdom Chronicles"
HARBOUR = "Harbour Lights (TV)"


@dataclass(frozen=True)
class DemoAccount:
    """A demo log-in, printed once the demo is loaded."""

    label: str
    username: str
    password: str
    bio: str = ""
    is_staff: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"


@dataclass(frozen=True)
class DemoChapter:
    """A chapter as typed, posted this many days before the demo is loaded."""

    days_ago: int
    body: str
    title: str = ""
    notes: str = ""
    end_notes: str = ""


@dataclass(frozen=True)
class DemoComment:
    """A comment on one chapter (by its number), with the replies it drew.

    Replies go on their parent's chapter. An empty username makes it a guest
    comment, left under guest_name.
    """

    body: str
    username: str = ""
    chapter: int = 1
    guest_name: str = ""
    guest_email: str = ""
    replies: tuple["DemoComment", ...] = ()


@dataclass(frozen=True)
class DemoWork:
    """A work with its tags, chapters and comments."""

    title: str
    owner: str
    rating: str
    warnings: tuple[str, ...]
    fandoms: tuple[str, ...]
    summary: str
    chapters: tuple[DemoChapter, ...]
    categories: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    freeforms: tuple[str, ...] = ()
    notes: str = ""
    end_notes: str = ""
    expected_chapters: int | None = None
    creator_credit: str = ""
    allow_guest_comments: bool = False
    post: bool = True
    comments: tuple[DemoComment, ...] = ()


DEMO_AUTHOR = DemoAccount(
    label="Demo author",
    username="demo_author",
    password="demo-author-password",
    bio="Writes about observatories, locks and small harbour towns. Updates slowly.",
)
STAFF = DemoAccount(
    label="Staff",
    username="staff",
    password="demo-staff-password",
    bio="Keeps the archive running and archives works for fans whose sites close.",
    is_staff=True,
)
READER_PASSWORD = "demo-reader-password"
INKWELL = DemoAccount(
    label="Reader",
    username="inkwell",
    password=READER_PASSWORD,
    bio="Reader first. Leaves long comments.",
)
MOTH = DemoAccount(
    label="Reader",
    username="moth_and_lamp",
    password=READER_PASSWORD,
    bio="Crossovers, mostly. Sometimes I finish them.",
)
TEA = DemoAccount(
    label="Reader",
    username="tea_before_canon",
    password=READER_PASSWORD,
    bio="Here for the found family and the weather.",
)
ACCOUNTS = (DEMO_AUTHOR, STAFF, INKWELL, MOTH, TEA)


OBSERVATORY = DemoWork(
    title="The Observatory Keeps Late Hours",
    owner=DEMO_AUTHOR.username,
    rating=Rating.TEEN,
    warnings=(NO_WARNINGS,),
    categories=("F/M",),
    fandoms=(STARLIGHT,),
    characters=("Hoshino Rei", "Amane Kaito", "Tsukishiro Mio"),
    relationships=("Amane Kaito/Hoshino Rei",),
    freeforms=("Slow Burn", "Study Dates", "Rooftops", "Meteor Showers"),
    summary="""
        Rei has the observatory key for the Perseids. Kaito has a failing grade in
        astronomy and no shame about asking. Three nights, one telescope, and far too
        many opinions about constellations.
    """,
    notes="""
        Set during the second-year summer term, after episode 9. No spoilers past that.
    """,
    end_notes="""
        Thank you for reading! Comments keep the telescope pointed upward.
    """,
    expected_chapters=3,
    allow_guest_comments=True,
    chapters=(
        DemoChapter(
            days_ago=121,
            title="The Key",
            body="""
                The observatory key was brass, heavier than it looked, and it lived on a
                loop of red ribbon that Rei had been told, three times and by three
                separate teachers, never to take off her wrist.

                "You could lend it to me," Kaito said. He was sitting on the railing of
                the east stairwell in a way that would have earned him detention if
                anyone but Rei had been there to see. "Hypothetically. For academic
                purposes."

                "You want to use the school telescope to pass a test you haven't studied
                for."

                "I want to use the school telescope to <em>begin</em> studying for a
                test I haven't studied for. That's growth, Hoshino."

                She should have said no. She had a whole speech about it, rehearsed in
                the bath. Instead she heard herself say, "Nine o'clock. Bring a jacket,
                it's cold up there," and Kaito's grin was so quick and so bright that
                she had to look at the floor until it went away.
            """,
        ),
        DemoChapter(
            days_ago=109,
            title="Cassiopeia Is a W",
            body="""
                Kaito could not find Cassiopeia. He could find the vending machine on
                the third floor in total darkness, and the one loose tile on the roof
                that rattled when you stepped on it, but five bright stars in the shape
                of a letter defeated him entirely.

                "It's a W," Rei said, for the fourth time. Kaito squinted along the
                telescope and insisted it was an M, and she explained that it depended
                on the time of year, and leaned over his shoulder to adjust the finder
                scope, and he went very still, and she decided not to think about why.

                * * *

                Mio found them the next morning asleep on the library's window seat, a
                star atlas open across both their laps. She took one photograph for
                evidence and then, because she was a good friend, deleted it. Mostly.
            """,
        ),
        DemoChapter(
            days_ago=95,
            title="Perseids",
            body="""
                The meteor shower peaked at two in the morning, which was against every
                rule in the dormitory handbook and, Rei suspected, several in the school
                charter.

                They lay on the observatory roof on a borrowed futon and counted. Kaito
                lost track at eleven and started naming them instead, <em>that one's
                Tanaka-sensei's patience, that one's my grade</em>, until she laughed
                loud enough that a light came on in the caretaker's cottage and they had
                to hold their breath.

                "I passed, by the way," he said, when the light went off again.
                "Seventy-eight. Don't tell me it's barely a pass. It's the best mark
                I've ever had in anything."

                He turned his head towards her. The ribbon on her wrist lay between them
                on the futon, and he touched it carefully, as if it might come undone.
                "Same time next year?"

                Above them something bright burned all the way down the sky. Neither of
                them counted it.
            """,
        ),
    ),
    comments=(
        DemoComment(
            username=INKWELL.username,
            body="""
                The key on the red ribbon! I love how much work you get out of one tiny
                prop.
            """,
            replies=(
                DemoComment(
                    username=DEMO_AUTHOR.username,
                    body="Thank you! The ribbon comes back, I promise.",
                    replies=(
                        DemoComment(
                            username=INKWELL.username,
                            body="I'm holding you to that.",
                        ),
                    ),
                ),
            ),
        ),
        DemoComment(
            username=TEA.username,
            chapter=2,
            body="""
                Mio deleting the photo "mostly" is the most Mio thing I have ever read.
            """,
        ),
        DemoComment(
            chapter=3,
            guest_name="Wandering Comet",
            guest_email="comet@example.org",
            body="""
                I don't have an account but I had to say something: the last line made
                me put my phone down and stare at the ceiling for a while. Beautiful.
            """,
            replies=(
                DemoComment(
                    username=DEMO_AUTHOR.username,
                    body="""
                        Thank you so much for stopping to say so, Comet. That means a
                        lot.
                    """,
                ),
            ),
        ),
    ),
)

UMBRELLA = DemoWork(
    title="Five Times Kaito Forgot His Umbrella (And One Time He Didn't)",
    owner=DEMO_AUTHOR.username,
    rating=Rating.GENERAL,
    warnings=(NO_WARNINGS,),
    categories=("Gen",),
    fandoms=(STARLIGHT,),
    characters=("Amane Kaito", "Tsukishiro Mio"),
    relationships=("Amane Kaito & Tsukishiro Mio",),
    freeforms=("Friendship", "5+1 Things", "Rainy Season", "Fluff"),
    summary="""
        Rainy season at Starlight Academy, as seen from under Mio's umbrella.
    """,
    expected_chapters=1,
    chapters=(
        DemoChapter(
            days_ago=152,
            body="""
                The first time, in April, Mio assumed it was an accident. Kaito stood
                under the school gate with his bag over his head and the face of a man
                personally betrayed by the weather, and she sighed and tilted her
                umbrella, and they walked to the station with his left shoulder soaked
                through.

                The second and third times, in May, she began to suspect a pattern. The
                fourth time she bought a second umbrella and left it in his shoe locker
                with a note that said <em>please</em>. The fifth time he had lent that
                umbrella to a first-year crying by the bike racks, and she could not
                even be annoyed about it.

                The sixth time it was Mio who forgot. She stood under the gate and
                watched the rain come down in ropes and thought about running for it,
                and then there was a shadow over her head: blue nylon, slightly bent at
                one rib.

                "Don't say anything," Kaito said. "I've carried it every day for a month
                waiting for this."

                She didn't say anything. She took his arm, and they walked to the
                station, and for once they were both dry.
            """,
        ),
    ),
)

KEY_FOR_EVERY_LOCK = DemoWork(
    title="A Key for Every Lock",
    owner=DEMO_AUTHOR.username,
    rating=Rating.MATURE,
    warnings=(VIOLENCE,),
    categories=("F/F", "Gen"),
    fandoms=(CLOCKWORK,),
    characters=("Isolde Varr", "Tamsin Gearwright", "Oren Hale"),
    relationships=("Isolde Varr/Tamsin Gearwright", "Oren Hale & Tamsin Gearwright"),
    freeforms=(
        "Enemies to Lovers",
        "Political Intrigue",
        "Locksmithing",
        "Canon-Typical Violence",
    ),
    summary="""
        The queen needs a locksmith who can open the Vault of Hours before the Regency
        Council does. Tamsin Gearwright needs a pardon. Neither of them needs the
        other's opinion, and both of them are going to get it.
    """,
    notes="""
        Diverges from canon after the Brass Coronation arc. Chapter warnings are in the
        chapter notes where they apply.
    """,
    expected_chapters=6,
    chapters=(
        DemoChapter(
            days_ago=90,
            title="The Pardon",
            body="""
                The cell under Tollgate Tower had a lock that Tamsin had opened eleven
                times since her arrest, purely for practice. She always closed it again
                afterwards. There was nowhere in Cogsmere worth escaping to in February.

                So when the door swung inward at midnight and the queen of the Clockwork
                Kingdom stepped through it in a plain grey cloak, Tamsin was already
                sitting up, already dressed, and, she would maintain for the rest of her
                life, not at all surprised.

                "Your Majesty," she said. "If this is about the crown jewels, I was only
                looking."

                Isolde Varr did not smile. Up close she was younger than her portraits
                and much more tired. "There is a vault beneath the palace that has not
                been opened in two hundred years," she said. "The council means to open
                it in six days. I mean to open it in five. Help me, and you walk out of
                here with a pardon under my seal." She set a folded paper on the cot.
                "Or stay, and keep practising on that lock. Captain Hale tells me you're
                getting quite fast."
            """,
        ),
        DemoChapter(
            days_ago=71,
            title="Tumblers",
            body="""
                Captain Oren Hale had been assigned to watch her, and he took the
                assignment with the grim seriousness of a man who had once been
                pickpocketed by a nine-year-old and never recovered.

                "You don't have to stand so close," Tamsin told him on the second day,
                kneeling in front of a practice lock the palace artificers had built to
                the vault's pattern. "I'm not going to run off with it. It weighs more
                than I do."

                "You'd find a way." He handed her the smaller tension wrench before she
                asked for it, which was annoying, because it meant he had been paying
                attention. "My sister says you opened the Guildhall strongroom with a
                hairpin and a boiled sweet."

                "Your sister exaggerates. It was a hatpin." The fifth tumbler gave under
                her fingers with a sound like a held breath let go, and for a moment she
                forgot that she was a prisoner and he was a guard, and grinned at him.
                To her surprise, he grinned back.
            """,
        ),
        DemoChapter(
            days_ago=44,
            title="The Regency Council",
            notes="""
                This chapter has a knife fight and some blood. Nobody dies.
            """,
            body="""
                The council met in the Hall of Escapements, where the great clock's
                pendulum swung above their heads like a blade no one was allowed to
                mention.

                Tamsin watched from the musicians' gallery, because Isolde had asked her
                to and because nobody ever looks up. She saw Lord Ashcombe slide a note
                to the Treasurer. She saw the Treasurer read it and go white. She saw, a
                moment too late, the man at the back of the hall whose livery was a
                shade too new, and the knife coming out of his sleeve.

                * * *

                Afterwards there was blood on the marble, and on Tamsin's sleeve, and on
                the hem of the queen's grey cloak where she had knelt beside the captain
                of her guard. Oren would live. The surgeon said so twice, as if saying
                it again made it truer.

                "You saw him before anyone," Isolde said, when they were alone. Her
                hands were not quite steady. "You shouted. Why?"

                Tamsin had no answer she was willing to say out loud, so she said, "Four
                days left," and the queen looked at her for a long moment and said,
                "Yes. Four days."
            """,
        ),
        DemoChapter(
            days_ago=12,
            title="The Vault of Hours",
            body="""
                The vault door was taller than three men, and every inch of it moved.
                Wheels turned inside wheels; brass teeth met and parted; somewhere deep
                in the mechanism something ticked, slow and patient, like a heart that
                had waited two hundred years for a hand on its chest.

                "Well?" Isolde said.

                "Well, it's beautiful." Tamsin laid her palm flat against the metal. It
                was warm. "Whoever built this didn't want it opened. They wanted it
                <em>understood</em>. There's a difference, Your Majesty, and I don't
                think your council has ever noticed it."

                She took out her picks. Behind her the queen drew a breath, and let it
                go, and stepped close enough that their shoulders touched: not a
                command, not a threat, just there. And Tamsin found that her hands, for
                the first time in her life, were shaking.
            """,
            end_notes="""
                Two chapters to go. Thank you for your patience with the update
                schedule!
            """,
        ),
    ),
    comments=(
        DemoComment(
            username=MOTH.username,
            body="""
                Tamsin opening her own cell eleven times for practice and then closing
                it again is the best character introduction.
            """,
            replies=(
                DemoComment(
                    username=DEMO_AUTHOR.username,
                    body="She is very committed to her craft.",
                ),
            ),
        ),
        DemoComment(
            username=INKWELL.username,
            chapter=3,
            body="OREN. I need him to be okay.",
            replies=(
                DemoComment(
                    username=DEMO_AUTHOR.username,
                    body="""
                        He's okay! He is going to be insufferable about it, but he's
                        okay.
                    """,
                    replies=(
                        DemoComment(
                            username=INKWELL.username,
                            body="Thank goodness. Carry on.",
                        ),
                    ),
                ),
            ),
        ),
        DemoComment(
            username=TEA.username,
            chapter=4,
            body="""
                The vault wanting to be understood rather than opened gave me chills.
                Can't wait for chapter five.
            """,
        ),
    ),
)

AUTOMATON = DemoWork(
    title="What the Automaton Remembered",
    owner=DEMO_AUTHOR.username,
    rating=Rating.NOT_RATED,
    warnings=(DEATH,),
    categories=("Gen",),
    fandoms=(CLOCKWORK,),
    characters=("The Brass Warden", "Maud Ellery", "Tamsin Gearwright"),
    freeforms=("Character Study", "Grief", "Automatons", "Ficlet"),
    summary="""
        The Brass Warden has guarded the Vault of Hours for two hundred years. It
        remembers the hands that built it.
    """,
    notes="""
        Please mind the warning: the death is of a character long before the story
        begins, and it is not shown.
    """,
    expected_chapters=1,
    chapters=(
        DemoChapter(
            days_ago=203,
            body="""
                The Brass Warden does not sleep, but it has a practice it thinks of,
                privately, as remembering. Once every hour, when the great clock above
                the palace strikes, it lets its gears run backwards through a single
                turn and finds her there again: Maud Ellery, artificer royal, with
                grease on her knuckles and a pencil behind each ear.

                She built it in a winter so cold the river stopped. She talked to it the
                whole time, because she talked to everything, to her tools and the
                pigeons and the queen, who did not like it, and so the first words the
                Warden ever heard were <em>hold still, you great lump, I'm nearly
                done</em>.

                She died in the spring. The Warden knows this the way it knows the
                number of teeth in its own escapement: not as a sorrow, but as a fact
                that everything else is built around. It has kept her vault for two
                hundred years. It has let no one in.

                Now there is a girl at the door with picks in her hand and grease on her
                knuckles, and she is talking to the lock under her breath as if it could
                hear her. The Warden listens. It finds, to its very great surprise, that
                it would like to.
            """,
        ),
    ),
    comments=(
        DemoComment(
            username=INKWELL.username,
            body="I was not ready for that last paragraph.",
        ),
    ),
)

LOW_TIDE = DemoWork(
    title="Low Tide at Penmarrow",
    owner=DEMO_AUTHOR.username,
    rating=Rating.GENERAL,
    warnings=(NO_WARNINGS,),
    categories=("Gen",),
    fandoms=(HARBOUR,),
    characters=("Nia Carrow", "Declan Moss", "Mrs Pascoe"),
    relationships=("Declan Moss & Nia Carrow",),
    freeforms=("Case Fic", "Found Family", "Bad Weather", "Missing Scene"),
    summary="""
        A boat comes in on the morning tide with no one aboard and the kettle still
        warm. DS Nia Carrow has three days' leave left and no intention of spending them
        on a case. Declan has other ideas.
    """,
    notes="""
        Set between series two and three. I have no idea how many chapters this will be;
        the tide decides.
    """,
    allow_guest_comments=True,
    chapters=(
        DemoChapter(
            days_ago=61,
            title="The Mary Ellen",
            body="""
                The <em>Mary Ellen</em> came round the point at half past six with her
                engine idling and her wheel lashed, and drifted into Penmarrow harbour
                as politely as if she had been asked.

                Nia saw it from the window of the flat above the chandlery, where she
                was not working. She was on leave. She had a paperback and a pot of tea
                and a firm intention of not getting dressed until noon, and she watched
                the boat nudge the harbour wall twice and settle, and thought
                <em>no</em>, quite clearly, in her sergeant's voice.

                Then her phone buzzed on the windowsill, and it was Declan, and he said,
                "Have you looked outside?" and she closed the paperback without marking
                her page.
            """,
        ),
        DemoChapter(
            days_ago=30,
            title="The Kettle",
            body="""
                The cabin was tidy in the way of someone who had lived on boats all
                their life: everything stowed, everything in its place. The bunk was
                made. The charts were rolled. On the little swinging stove the kettle
                was still, impossibly, warm to the touch.

                "Ghosts," Declan said, and when she gave him a look: "I'm only saying,
                my nan would have said ghosts." He crouched to look under the chart
                table, his bad knee cracking. "My nan would also have said you should be
                in bed with a book and not standing on a stranger's boat in your
                slippers."

                Nia looked down. She was, in fact, wearing her slippers. She decided
                that this was not evidence, and therefore not relevant, and went on
                looking for whoever had put the kettle on.
            """,
        ),
        DemoChapter(
            days_ago=3,
            title="Spring Tide",
            body="""
                By the third day the whole village had a theory. The pub favoured
                smugglers. The chapel favoured the sea taking its due. Mrs Pascoe at the
                post office favoured the owner's brother-in-law, on the grounds that she
                had never liked his hats.

                Nia favoured the tide tables, which was less exciting and, she
                suspected, true. She spread them across Declan's kitchen table between
                the biscuit tin and his terrible cat, and traced the line of the spring
                tide back and back to a cove you could only reach for two hours a month.

                * * *

                "Tonight," Declan said, reading it upside down. "That's tonight."

                "That's tonight," she agreed, and felt the old familiar lift under her
                ribs, the one she had been trying to leave behind for a week. Her leave
                had two days left to run. She already knew she wasn't going to use them.
            """,
        ),
    ),
    comments=(
        DemoComment(
            username=INKWELL.username,
            chapter=2,
            body="Nia in her slippers deciding it isn't evidence. Perfect.",
        ),
        DemoComment(
            username=TEA.username,
            chapter=3,
            body="Mrs Pascoe and the hats! I had to read that bit out loud.",
            replies=(
                DemoComment(
                    username=DEMO_AUTHOR.username,
                    body="""
                        Every village has a Mrs Pascoe. Mine had two, and they were not
                        speaking.
                    """,
                ),
            ),
        ),
    ),
)

FOGHORN = DemoWork(
    title="Foghorn",
    owner=DEMO_AUTHOR.username,
    rating=Rating.EXPLICIT,
    warnings=(NO_WARNINGS_CHOSEN,),
    categories=("F/F",),
    fandoms=(HARBOUR,),
    characters=("Nia Carrow", "Imogen Teague"),
    relationships=("Imogen Teague/Nia Carrow",),
    freeforms=(
        "Established Relationship",
        "Morning After",
        "Sexual Content",
        "Domesticity",
    ),
    summary="""
        The foghorn on Penmarrow Point has been going since four. Neither of them is
        getting up.
    """,
    expected_chapters=1,
    chapters=(
        DemoChapter(
            days_ago=80,
            body="""
                The foghorn on Penmarrow Point had been sounding since four in the
                morning, one long low note every thirty seconds, and Imogen had long
                since stopped pretending it was going to let her sleep.

                "You could complain to the harbourmaster," Nia said into her shoulder,
                her voice thick and warm and not at all sorry.

                "I <em>am</em> the harbourmaster." Imogen rolled over. Grey light came
                through the thin curtains and lay across the bed, across Nia's bare back
                and the old scar on her shoulder that she never talked about. Imogen put
                her mouth to it, slowly, and felt Nia's breath catch. "Besides. I can
                think of better things to do with the time."

                * * *

                Later, when the fog had burned off and the foghorn had finally gone
                quiet, they lay tangled in the wreck of the sheets and listened to the
                gulls. Neither of them mentioned that it was gone nine, or that they
                were both supposed to be somewhere, or that the kettle downstairs had
                been boiled twice and forgotten twice. There would be time for all of
                that. There was, for once, time.
            """,
        ),
    ),
)

EXCHANGE_STUDENTS = DemoWork(
    title="The Exchange Students",
    owner=MOTH.username,
    rating=Rating.TEEN,
    warnings=(NO_WARNINGS,),
    categories=("Gen",),
    fandoms=(STARLIGHT, CLOCKWORK),
    characters=("Hoshino Rei", "Tamsin Gearwright", "Tsukishiro Mio"),
    relationships=("Hoshino Rei & Tamsin Gearwright",),
    freeforms=(
        "Crossover",
        "Alternate Universe - School",
        "Fish Out of Water",
        "Exchange Programme",
    ),
    summary="""
        Starlight Academy's new exchange student arrives by airship, picks the lock on
        the staff room within the hour, and asks Rei where the nearest forge is.
    """,
    notes="""
        My first crossover, so be gentle. Written for a friend who said these two would
        either be best friends or burn the school down.
    """,
    expected_chapters=4,
    chapters=(
        DemoChapter(
            days_ago=40,
            title="Arrivals",
            body="""
                The exchange student arrived on a Tuesday, by airship, which was not how
                anyone arrived at Starlight Academy. The whole of class 2-B crowded the
                window to watch it tie up at the bell tower, brass fins glinting,
                propellers slowing to a lazy tick.

                "She's from the Clockwork Kingdom," Mio whispered, as if that explained
                it. "Apparently they don't have schools there. Just guilds."

                The girl who climbed down the rope ladder wore goggles pushed up on her
                head and a leather apron over her borrowed uniform, and she looked
                around the courtyard with the frank interest of someone pricing
                everything in it. Her eyes landed on Rei, on the red ribbon at Rei's
                wrist and the brass key hanging from it, and lit up.

                "Oh," said Tamsin Gearwright, "now <em>that's</em> a nice lock."
            """,
        ),
        DemoChapter(
            days_ago=20,
            title="The Staff Room Incident",
            body="""
                In fairness to Tamsin, nobody had told her that the staff room was off
                limits. In fairness to the staff, nobody had imagined they would need
                to.

                Rei found her there at lunchtime, sitting cross-legged on the head of
                year's desk with the back off the wall clock, humming. "It was losing
                four minutes a day," Tamsin said, without looking up. "I couldn't bear
                it. How do you people live like this?"

                "You can't be in here," Rei said.

                "The door disagreed." Tamsin clicked the last gear into place, and the
                clock, for the first time in Rei's memory, ticked in perfect time with
                the bell. "There. Now nobody's late. You can thank me later, Observatory
                Girl."
            """,
        ),
    ),
    comments=(
        DemoComment(
            username=DEMO_AUTHOR.username,
            body="""
                Observatory Girl! I am delighted someone put these two in a room
                together.
            """,
            replies=(
                DemoComment(
                    username=MOTH.username,
                    body="""
                        Your Perseids fic is the reason I did! Thank you for reading.
                    """,
                ),
            ),
        ),
    ),
)

LIGHTHOUSE_LETTERS = DemoWork(
    title="Letters from the Lighthouse",
    owner=STAFF.username,
    creator_credit="Ellery Finch",
    rating=Rating.GENERAL,
    warnings=(NO_WARNINGS,),
    categories=("Gen",),
    fandoms=(HARBOUR,),
    characters=("Declan Moss", "Bryony Moss"),
    relationships=("Bryony Moss & Declan Moss",),
    freeforms=("Epistolary", "Pre-Canon", "Siblings", "Lighthouses"),
    summary="""
        Before Penmarrow, before the job, Declan kept the light on Carrick Rock for one
        winter and wrote to his sister about it.
    """,
    notes="""
        Archived by the archive staff on behalf of Ellery Finch, whose fan site
        <em>Harbourside</em> is closing. Ellery, if you would like this moved to an
        account of your own, please get in touch.
    """,
    expected_chapters=2,
    allow_guest_comments=True,
    chapters=(
        DemoChapter(
            days_ago=171,
            title="November",
            body="""
                Dear Bry,

                The Rock is exactly as bad as Dad said and slightly better than I
                feared. The lamp is the size of a small car and has to be wound every
                four hours, which means I have not slept more than three and a half
                hours at a stretch since I got here. The supply boat comes on Thursdays
                if the weather allows, which so far it has not.

                I have started talking to the gulls. There is one with a bad foot I've
                named after Mr Pengelly from the bank, because he has the same
                expression. Don't tell Mum.

                Your loving and slightly unhinged brother,<br>Dec
            """,
        ),
        DemoChapter(
            days_ago=171,
            title="February",
            body="""
                Dear Bry,

                Thank you for the socks, and the cake, which survived the crossing
                better than the boatman did. Mr Pengelly has the use of his foot back
                and follows me round the gallery demanding crusts. I think we are
                friends. I think he may be my only friend. This is fine.

                I wanted to tell you something and I keep not writing it, so here it is:
                I'm not signing on again in the spring. I've been offered a job on the
                mainland, a proper one, at the police station in a little harbour town
                you've never heard of. I said yes before I'd thought about it, which I
                think means it was the right answer.

                Keep the kettle on for me.<br>Dec
            """,
        ),
    ),
    comments=(
        DemoComment(
            username=TEA.username,
            chapter=2,
            body="Mr Pengelly the gull deserves a series of his own.",
            replies=(
                DemoComment(
                    username=STAFF.username,
                    body="We will pass that on to Ellery!",
                ),
            ),
        ),
    ),
)

HEIST_DRAFT = DemoWork(
    title="Untitled Treasury Heist (Working Title)",
    owner=DEMO_AUTHOR.username,
    rating=Rating.TEEN,
    warnings=(NO_WARNINGS_CHOSEN,),
    categories=("Gen",),
    fandoms=(CLOCKWORK,),
    characters=("Tamsin Gearwright", "Oren Hale"),
    relationships=("Oren Hale & Tamsin Gearwright",),
    freeforms=("Heist", "Banter"),
    summary="""
        Tamsin and Oren rob the Treasury. For a good cause. Probably.
    """,
    post=False,
    chapters=(
        DemoChapter(
            days_ago=5,
            title="The Plan",
            body="""
                The plan, as Tamsin explained it, had four steps, and Oren objected to
                all of them.

                "Step one is 'get inside'," he said. "That isn't a step. That's the
                whole problem."

                "Step one is delegated," Tamsin said serenely. "To you. You're the one
                with the uniform."

                <em>Note to self: does Isolde know about this? Decide before chapter
                two.</em>
            """,
        ),
    ),
)

WORKS = (
    AUTOMATON,
    LIGHTHOUSE_LETTERS,
    UMBRELLA,
    OBSERVATORY,
    FOGHORN,
    LOW_TIDE,
    EXCHANGE_STUDENTS,
    KEY_FOR_EVERY_LOCK,
    HEIST_DRAFT,
)


# The reader loop: what the demo readers left, saved and follow.


@dataclass(frozen=True)
class DemoSeries:
    """A series of its owner's works, by title, in order."""

    owner: str
    title: str
    summary: str
    works: tuple[str, ...]
    is_complete: bool = False


@dataclass(frozen=True)
class DemoFolder:
    owner: str
    name: str
    is_private: bool = False


@dataclass(frozen=True)
class DemoBookmark:
    """A reader's bookmark of a work (by title), in one of their folders."""

    owner: str
    work: str
    notes: str
    tags: tuple[str, ...] = ()
    folder: str = ""
    is_rec: bool = False
    is_private: bool = False


@dataclass(frozen=True)
class DemoSubscription:
    """A reader following a work, a creator or a series (by title) or a tag."""

    user: str
    target: str
    name: str


SERIES = (
    DemoSeries(
        owner=DEMO_AUTHOR.username,
        title="Penmarrow Weather",
        summary="""
Two cases and a long night in a harbour town where the fog has opinions.
Each part stands alone.
""",
        works=(LOW_TIDE.title, FOGHORN.title),
    ),
)

# Readers who left kudos on each work (by title), and how many guests did.
KUDOS = {
    OBSERVATORY.title: ((INKWELL.username, MOTH.username, TEA.username), 4),
    UMBRELLA.title: ((INKWELL.username, TEA.username), 2),
    LOW_TIDE.title: ((INKWELL.username, TEA.username), 1),
    FOGHORN.title: ((TEA.username,), 0),
    KEY_FOR_EVERY_LOCK.title: ((MOTH.username, INKWELL.username), 3),
    EXCHANGE_STUDENTS.title: ((INKWELL.username,), 1),
    LIGHTHOUSE_LETTERS.title: ((TEA.username, INKWELL.username), 0),
}

FOLDERS = (
    DemoFolder(owner=INKWELL.username, name="Comfort reads"),
    DemoFolder(owner=INKWELL.username, name="Saving for a rainy day", is_private=True),
)

BOOKMARKS = (
    DemoBookmark(
        owner=INKWELL.username,
        work=OBSERVATORY.title,
        notes="The <em>rooftop</em> chapter. Read it for the rooftop chapter.",
        tags=("slow burn done right", "stargazing"),
        folder="Comfort reads",
        is_rec=True,
    ),
    DemoBookmark(
        owner=INKWELL.username,
        work=LOW_TIDE.title,
        notes="Mrs Pascoe deserves her own series.",
        tags=("harbour", "found family"),
        folder="Comfort reads",
        is_rec=True,
    ),
    DemoBookmark(
        owner=INKWELL.username,
        work=KEY_FOR_EVERY_LOCK.title,
        notes="Waiting for it to finish before I read the vault chapters again.",
        tags=("heists",),
        folder="Saving for a rainy day",
        is_private=True,
    ),
    DemoBookmark(
        owner=TEA.username,
        work=UMBRELLA.title,
        notes="Exactly as soft as the title promises.",
        tags=("comfort", "rain"),
        is_rec=True,
    ),
)

SUBSCRIPTIONS = (
    DemoSubscription(
        user=INKWELL.username, target="creator", name=DEMO_AUTHOR.username
    ),
    DemoSubscription(user=INKWELL.username, target="series", name="Penmarrow Weather"),
    DemoSubscription(user=INKWELL.username, target="tag", name="Found Family"),
    DemoSubscription(user=MOTH.username, target="work", name=OBSERVATORY.title),
)

# What the demo reader read: (work title, chapters read); and saved for later.
READINGS = {INKWELL.username: ((OBSERVATORY.title, 2), (UMBRELLA.title, 1))}
MARKED_FOR_LATER = {INKWELL.username: (AUTOMATON.title,)}
