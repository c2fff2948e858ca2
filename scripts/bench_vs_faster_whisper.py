#!/usr/bin/env python3
"""Helpers for scripts/bench-vs-faster-whisper (the bash script drives the runs).

  transcribe MODEL_DIR WAV OUT_JSON   faster-whisper on one file (one process per file, so it
                                      pays its start-up like rehearse does); writes the text
  table RESULTS_TSV CORPUS_DIR        prints the per-file table, totals and word error rates

Word error rate: words lowercased, punctuation dropped, hyphens and slashes split, numbers and
percentages spelled out, a few contractions expanded; then word-level Levenshtein against the
labels' `script`. "WER" counts every scripted word (the script writes its um/uh fillers);
"WER-f" drops um/uh/er/ah/erm from both sides first, so it measures the words alone.
"""

import json
import re
import sys
from pathlib import Path

FILLERS = {"um", "uh", "er", "ah", "erm", "uhm", "hmm", "mm"}

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen \
fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
CONTRACTIONS = {
    "i'm": "i am", "i've": "i have", "i'd": "i would", "i'll": "i will",
    "we're": "we are", "we've": "we have", "we'd": "we would", "we'll": "we will",
    "it's": "it is", "that's": "that is", "there's": "there is", "what's": "what is",
    "don't": "do not", "didn't": "did not", "doesn't": "does not", "isn't": "is not",
    "wasn't": "was not", "weren't": "were not", "won't": "will not", "can't": "cannot",
    "couldn't": "could not", "wouldn't": "would not", "shouldn't": "should not",
    "they're": "they are", "they'd": "they would", "they've": "they have",
    "you're": "you are", "you've": "you have", "let's": "let us", "hadn't": "had not",
    "haven't": "have not", "hasn't": "has not", "aren't": "are not", "he's": "he is",
    "she's": "she is",
}


def number_words(n: int) -> list:
    if n < 20:
        return [ONES[n]]
    if n < 100:
        return [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        rest = number_words(n % 100) if n % 100 else []
        return [ONES[n // 100], "hundred"] + rest
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = number_words(n % size) if n % size else []
            return number_words(n // size) + [name] + rest
    return [str(n)]


def normalise(text: str) -> list:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[-\u2010-\u2015/_]", " ", text)
    text = text.replace("%", " percent ")
    words = []
    for raw in text.split():
        raw = CONTRACTIONS.get(raw.strip(".,;:!?\"()[]"), raw)
        for token in raw.split():
            # Numbers (with thousands separators and decimals) become words.
            for piece in re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z']+", token):
                if piece[0].isdigit():
                    whole, _, frac = piece.replace(",", "").partition(".")
                    words += number_words(int(whole))
                    if frac:
                        words += ["point"] + [ONES[int(d)] for d in frac]
                else:
                    piece = piece.strip("'")
                    if piece:
                        words.append(piece)
    return words


def edit_distance(ref: list, hyp: list) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def wer_counts(reference: str, hypothesis: str, drop_fillers: bool) -> tuple:
    ref, hyp = normalise(reference), normalise(hypothesis)
    if drop_fillers:
        ref = [w for w in ref if w not in FILLERS]
        hyp = [w for w in hyp if w not in FILLERS]
    return edit_distance(ref, hyp), len(ref)


def transcribe(model_dir: str, wav: str, out_json: str) -> None:
    from faster_whisper import WhisperModel

    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)
    segments, _info = model.transcribe(wav, beam_size=5, language="en")
    text = " ".join(s.text.strip() for s in segments)
    Path(out_json).write_text(json.dumps({"transcript": text}))


def table(results_tsv: str, corpus_dir: str) -> None:
    rows = [line.split("\t") for line in Path(results_tsv).read_text().splitlines() if line]
    # name, engine, wall seconds, peak KB, CPU seconds, JSON path
    by_file = {}
    for name, engine, seconds, peak_kb, cpu, out in rows:
        try:
            text = json.loads(Path(out).read_text())["transcript"]
        except (OSError, ValueError, KeyError):
            text = ""
        by_file.setdefault(name, {})[engine] = (
            float(seconds), int(peak_kb) / 1024, text, float(cpu)
        )
    print(f"{'file':<30} {'audio s':>7} {'A s':>7} {'B s':>7} {'A/B':>6} {'A cpu':>6} {'B cpu':>6}"
          f" {'A MB':>5} {'B MB':>5} {'A WER':>6} {'B WER':>6} {'A WER-f':>7} {'B WER-f':>7}")
    totals = {"A": [0.0, 0, 0, 0, 0, 0.0], "B": [0.0, 0, 0, 0, 0, 0.0]}
    audio_total = 0.0
    peak = {"A": 0.0, "B": 0.0}
    for name, runs in by_file.items():
        labels = json.loads((Path(corpus_dir) / f"{name}.labels.json").read_text())
        script, audio_s = labels["script"], labels["duration_s"]
        audio_total += audio_s
        cells = {}
        for engine in ("A", "B"):
            seconds, mb, text, cpu = runs.get(engine, (float("nan"), 0.0, "", float("nan")))
            e, n = wer_counts(script, text, drop_fillers=False)
            ef, nf = wer_counts(script, text, drop_fillers=True)
            t = totals[engine]
            t[0] += seconds
            t[1] += e
            t[2] += n
            t[3] += ef
            t[4] += nf
            t[5] += cpu
            peak[engine] = max(peak[engine], mb)
            cells[engine] = (seconds, mb, e / max(n, 1), ef / max(nf, 1), cpu)
        a, b = cells["A"], cells["B"]
        print(f"{name[:30]:<30} {audio_s:>7.1f} {a[0]:>7.2f} {b[0]:>7.2f} {a[0] / b[0]:>6.2f}"
              f" {a[4]:>6.1f} {b[4]:>6.1f} {a[1]:>5.0f} {b[1]:>5.0f}"
              f" {a[2]:>6.1%} {b[2]:>6.1%} {a[3]:>7.1%} {b[3]:>7.1%}")
    a, b = totals["A"], totals["B"]
    print(f"{'total':<30} {audio_total:>7.1f} {a[0]:>7.2f} {b[0]:>7.2f} {a[0] / b[0]:>6.2f}"
          f" {a[5]:>6.1f} {b[5]:>6.1f} {peak['A']:>5.0f} {peak['B']:>5.0f} {a[1] / max(a[2], 1):>6.1%}"
          f" {b[1] / max(b[2], 1):>6.1%} {a[3] / max(a[4], 1):>7.1%} {b[3] / max(b[4], 1):>7.1%}")
    print(f"\nratio A/B (total wall time): {a[0] / b[0]:.2f}  (<= 1.0 means rehearse is as fast)")
    print("A = rehearse analyse --json (transcribe + analyse);"
          " B = faster-whisper int8, 2 threads, beam 5 (transcribe only).")
    print("cpu = user + system seconds; MB = peak resident memory (total row: the largest);"
          " WER pooled over all scripted words; WER-f without um/uh.")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "transcribe":
        transcribe(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "table":
        table(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
