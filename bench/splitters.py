"""Compare sentence splitters on hand-made news cases: boundary accuracy and speed.

Run: .venv/bin/python -m bench.splitters   (needs the optional splitters installed)
Each case is a list of sentences; the input is those sentences joined by the given glue.
"""
import statistics
import time

CASES = [
    ["Officials briefed reporters.", "Lt. Col. Ahmed Khan said the raid began at 3 a.m. on Friday.", "Two suspects were held."],
    ["The U.S. State Department condemned the attack.", "It called for calm."],
    ["Police said No. 4 battalion of the FC had cordoned off the area.", "Searches continued."],
    ["QUETTA, March 3 (APP) - Security forces killed five militants in Kech district, officials said.", "A soldier was wounded."],
    ["“We arrested three men,” the SSP said.", "“They will be produced in court.”"],
    ["He said the operation was over…", "“We will stay,” a resident said.", "Others left 😀 quickly.", "Residents returned home on Sunday."],
    ["Dr. Salma Baloch of the Civil Hospital said 12 bodies had been received.", "Most had gunshot wounds."],
    ["The death toll rose to 14.", "Officials feared it could climb further."],
    ["It was a tense week.", "Mr. Sharif left for the U.K. on Monday.", "His party denied the allegations."],
    ["Police fired tear gas at 5 p.m.", "The crowd dispersed by 6 p.m."],
    ["The suspects, aged 22 and 25, were sent to judicial custody.", "The case was adjourned till Jan. 12."],
    ["The convoy was attacked.", "Gen. Asim Munir visited the injured soldiers at CMH Rawalpindi.", "He praised their courage."],
    ["An FIR was registered under Sections 302 and 34 of the PPC.", "No arrest has been made."],
    ["Was anyone hurt?", "No, officials said."],
    ["The army said it had retaken the town!", "Rebels disputed the claim."],
    ["Fear gripped the city.", "St. Mary's school was closed after the blast.", "Classes resume on Monday."],
    ["They seized 2.5 kg of heroin and a 9mm pistol.", "Both men were remanded for 14 days."],
    ["A spokesman for the Inter-Services Public Relations (ISPR) said the area was cleared.", "Search operations were continuing."],
]
GLUES = [" ", "\n", "\r\n", "  "]


def spans_for(split, text):
    return [text[a:b].strip() for a, b in split(text)]


def make_splitters():
    import blingfire
    import nupunkt
    import pysbd
    import spacy
    import syntok.segmenter as syntok_segmenter

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def syntok_split(text):
        for paragraph in syntok_segmenter.analyze(text):
            for sentence in paragraph:
                tokens = list(sentence)
                yield tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)

    def nupunkt_split(text):
        return nupunkt.sent_spans(text)

    return {
        "blingfire": lambda t: blingfire.text_to_sentences_and_offsets(t)[1],
        "pysbd": lambda t: [(s.start, s.end) for s in seg.segment(t)],
        "spacy-sentencizer": lambda t: [(s.start_char, s.end_char) for s in nlp(t).sents],
        "syntok": lambda t: list(syntok_split(t)),
        "nupunkt": nupunkt_split,
    }


def main():
    article = " ".join(" ".join(c) for c in CASES[:10])  # ~20 sentences
    for name, split in make_splitters().items():
        correct = total = 0
        for case in CASES:
            for glue in GLUES:
                total += 1
                correct += spans_for(split, glue.join(case)) == case
        times = []
        for _ in range(50):
            start = time.perf_counter()
            split(article)
            times.append(time.perf_counter() - start)
        print(f"{name:18s} exact cases {correct}/{total}   20-sentence article median {statistics.median(times) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
