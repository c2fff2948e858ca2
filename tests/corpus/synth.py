#!/usr/bin/env python3
"""Synthesise the labelled test corpus: NN-slug.toml -> NN-slug.wav + NN-slug.labels.json.

Needs only the Python 3.11+ standard library and the `espeak-ng` and `sox` command-line tools.
Each sentence is synthesised on its own, trimmed, resampled to 16 kHz mono s16 and joined with
known pauses, so every sentence's start and end time is exact (counted in samples).
The output is deterministic: the same TOML gives the same WAV and JSON, byte for byte
(pauses and the noise floor come from a hash of the file name, not from a random seed).

Usage (from anywhere):
    python3 tests/corpus/synth.py            # regenerate every answer
    python3 tests/corpus/synth.py 03 17      # only answers whose name starts with 03 or 17
    python3 tests/corpus/synth.py --check    # validate the TOMLs and print counts, no audio
See README.md next to this script for the label format.
"""

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import wave
from array import array
from pathlib import Path

SAMPLE_RATE_HZ = 16_000
LEAD_IN_MS = 400
TAIL_MS = 600
PAUSE_MIN_MS = 250
PAUSE_MAX_MS = 900
# Trimming keeps this much audio around the first/last sample louder than the threshold.
TRIM_THRESHOLD = 200
TRIM_MARGIN_MS = 40
# A faint noise floor (about -66 dBFS) so that pauses are not digital zero, as on a real mic.
NOISE_AMPLITUDE = 24

LABELS = {"situation", "task", "action", "result", "learning"}
# Fillers that are always fillers; espeak-ng says "um" as /Vm/ and "uh" as /V/.
CERTAIN_FILLERS = {"um", "uh", "er", "erm", "hmm"}
# Words that are fillers only in some uses. A `~` marks the filler use; every unmarked
# occurrence is recorded as a look-alike (a non-filler use of the same words).
AMBIGUOUS_FILLERS = [
    "you know", "i mean", "kind of", "sort of",
    "like", "so", "basically", "actually", "right", "well", "literally",
]
SIGNPOSTS = [
    "the situation", "situation was", "my task", "the task was", "my goal was", "my job was",
    "my role was", "as a result", "the result", "the outcome", "what i learned", "i learned",
    "the lesson", "lesson learned", "looking back", "in hindsight", "the action",
]


class CorpusError(Exception):
    pass


def words_of(text):
    """Lowercased words without surrounding punctuation, as the label indices count them."""
    return [re.sub(r"^[^\w']+|[^\w']+$", "", w).lower() for w in text.split()]


def parse_sentence(text, sentence_index, where):
    """Returns (plain text, ssml text, fillers, look-alikes) of one marked-up sentence."""
    plain_tokens, ssml_tokens, fillers = [], [], []
    word_index = 0
    for token in text.split():
        if token.startswith("~"):
            core = token[1:]
            match = re.match(r"^([A-Za-z_']+)(.*)$", core)
            if not match:
                raise CorpusError(f"{where}: bad filler marker `{token}`; write `~um` or `~you_know`")
            filler_words = match.group(1).replace("_", " ")
            key = filler_words.lower()
            if key in CERTAIN_FILLERS:
                kind = "certain"
            elif key in AMBIGUOUS_FILLERS:
                kind = "ambiguous"
            else:
                raise CorpusError(f"{where}: `{token}` is not a known filler; add it to synth.py")
            fillers.append({"word": key, "kind": kind,
                            "sentence_index": sentence_index, "word_index": word_index})
            plain = filler_words + match.group(2)
            plain_tokens.append(plain)
            if kind == "certain":
                # Said slowly, as a hesitation is; the word itself is unchanged.
                ssml_tokens.append(f'<prosody rate="x-slow">{escape(filler_words)}</prosody>'
                                   + escape(match.group(2)))
            else:
                ssml_tokens.append(escape(plain))
            word_index += len(filler_words.split())
        else:
            if words_of(token)[0] in CERTAIN_FILLERS:
                raise CorpusError(f"{where}: `{token}` is always a filler; mark it `~{token}`")
            plain_tokens.append(token)
            ssml_tokens.append(escape(token))
            word_index += 1
    plain = " ".join(plain_tokens)
    filler_positions = set()
    for f in fillers:
        for k in range(len(f["word"].split())):
            filler_positions.add(f["word_index"] + k)
    lookalikes = []
    words = words_of(plain)
    i = 0
    while i < len(words):
        hit = None
        for candidate in AMBIGUOUS_FILLERS:
            parts = candidate.split()
            span = range(i, i + len(parts))
            if words[i:i + len(parts)] == parts and not filler_positions.intersection(span):
                hit = candidate
                break
        if hit:
            lookalikes.append({"word": hit, "sentence_index": sentence_index, "word_index": i})
            i += len(hit.split())
        else:
            i += 1
    return plain, " ".join(ssml_tokens), fillers, lookalikes


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stable_int(*parts):
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def load_answer(path):
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise CorpusError(f"{path.name}: invalid TOML ({err}); fix the syntax") from err
    for key in ("voice", "words_per_minute", "principle", "sentence"):
        if key not in data:
            raise CorpusError(f"{path.name}: missing `{key}`; see README.md for the format")
    sentences = []
    for index, raw in enumerate(data["sentence"]):
        where = f"{path.name} sentence {index}"
        if raw.get("label") not in LABELS:
            raise CorpusError(f"{where}: label must be one of {sorted(LABELS)}")
        plain, ssml, fillers, lookalikes = parse_sentence(raw["text"], index, where)
        pause_ms = raw.get("pause_before_ms")
        if pause_ms is None:
            pause_ms = LEAD_IN_MS if index == 0 else (
                PAUSE_MIN_MS + stable_int(path.stem, index) % (PAUSE_MAX_MS - PAUSE_MIN_MS + 1))
        sentences.append({
            "label": raw["label"], "text": plain, "ssml": ssml, "pause_before_ms": int(pause_ms),
            "words_per_minute": int(raw.get("words_per_minute", data["words_per_minute"])),
            "fillers": fillers, "lookalikes": lookalikes,
        })
    if data.get("signposts") is False:
        for s in sentences:
            lowered = " ".join(words_of(s["text"]))
            for phrase in SIGNPOSTS:
                if re.search(rf"\b{phrase}\b", lowered):
                    raise CorpusError(f"{path.name}: says `signposts = false` but contains "
                                      f"`{phrase}`; reword it or set `signposts = true`")
    return data, sentences


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise CorpusError(f"`{' '.join(command[:4])} ...` failed: {result.stderr.strip()}")


def synthesise_sentence(voice, words_per_minute, ssml, workdir):
    raw = workdir / "espeak.wav"
    resampled = workdir / "16k.wav"
    run(["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-m", "-w", str(raw), ssml])
    # -D: no dither, so the output does not depend on a random generator; `vol` leaves
    # headroom because espeak-ng peaks at full scale and resampling would clip.
    run(["sox", "-D", str(raw), "-r", str(SAMPLE_RATE_HZ), "-c", "1", "-b", "16",
         "-e", "signed-integer", str(resampled), "vol", "0.8"])
    with wave.open(str(resampled), "rb") as w:
        samples = array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, v in enumerate(samples) if abs(v) > TRIM_THRESHOLD]
    if not loud:
        raise CorpusError(f"espeak-ng produced silence for `{ssml}`; check the voice name")
    margin = TRIM_MARGIN_MS * SAMPLE_RATE_HZ // 1000
    start = max(0, loud[0] - margin)
    end = min(len(samples), loud[-1] + margin + 1)
    return samples[start:end]


def silence(ms):
    return array("h", bytes(2 * (ms * SAMPLE_RATE_HZ // 1000)))


def add_noise_floor(samples, seed):
    # A 32-bit linear congruential generator: simple, and identical on every platform.
    state = seed & 0xFFFFFFFF
    span = 2 * NOISE_AMPLITUDE + 1
    for i, v in enumerate(samples):
        state = (1664525 * state + 1013904223) & 0xFFFFFFFF
        noisy = v + (state >> 16) % span - NOISE_AMPLITUDE
        samples[i] = max(-32768, min(32767, noisy))


def build(path, out_dir):
    data, sentences = load_answer(path)
    audio = array("h")
    labelled, fillers, lookalikes = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for s in sentences:
            audio.extend(silence(s["pause_before_ms"]))
            clip = synthesise_sentence(data["voice"], s["words_per_minute"], s["ssml"], Path(tmp))
            start = len(audio)
            audio.extend(clip)
            labelled.append({
                "label": s["label"], "text": s["text"],
                "start_s": round(start / SAMPLE_RATE_HZ, 6),
                "end_s": round(len(audio) / SAMPLE_RATE_HZ, 6),
            })
            fillers.extend(s["fillers"])
            lookalikes.extend(s["lookalikes"])
    audio.extend(silence(TAIL_MS))
    add_noise_floor(audio, stable_int(path.stem, "noise"))
    if sys.byteorder == "big":
        audio.byteswap()
    wav_path = out_dir / f"{path.stem}.wav"
    with wave.open(str(wav_path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE_HZ)
        w.writeframes(audio.tobytes())
    labels = {
        "duration_s": round(len(audio) / SAMPLE_RATE_HZ, 6),
        "sample_rate_hz": SAMPLE_RATE_HZ,
        "voice": data["voice"],
        "words_per_minute": data["words_per_minute"],
        "principle": data["principle"],
        "signposts": data.get("signposts"),
        "shape": data.get("shape"),
        "sentences": labelled,
        "fillers": fillers,
        "lookalikes": lookalikes,
    }
    (out_dir / f"{path.stem}.labels.json").write_text(
        json.dumps(labels, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return labels


def summarise(rows):
    """rows: (name, labels-like dict). Prints per-file and total counts."""
    totals = {"certain": 0, "ambiguous": 0, "lookalikes": 0, "filler_free": 0, "no_signposts": 0}
    for name, info in rows:
        certain = sum(1 for f in info["fillers"] if f["kind"] == "certain")
        ambiguous = len(info["fillers"]) - certain
        duration = info.get("duration_s")
        shown = f"{duration:6.1f} s" if duration is not None else "   -    "
        print(f"{name:32} {shown}  {info['voice']:14} {info['words_per_minute']:3} wpm  "
              f"um/uh {certain:2}  ambiguous {ambiguous:2}  look-alikes {len(info['lookalikes']):2}")
        totals["certain"] += certain
        totals["ambiguous"] += ambiguous
        totals["lookalikes"] += len(info["lookalikes"])
        totals["filler_free"] += not info["fillers"]
        totals["no_signposts"] += info.get("signposts") is False
    print(f"{len(rows)} answers: {totals['certain']} certain fillers, {totals['ambiguous']} "
          f"ambiguous fillers, {totals['lookalikes']} look-alikes, {totals['filler_free']} "
          f"filler-free answers, {totals['no_signposts']} without signposts")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="name prefixes to build (default: all)")
    parser.add_argument("--check", action="store_true", help="validate and count, no audio")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    paths = sorted(p for p in here.glob("[0-9][0-9]-*.toml")
                   if not args.only or any(p.stem.startswith(o) for o in args.only))
    if not paths:
        raise CorpusError(f"no NN-slug.toml files in {here}; check the name prefixes")
    if not args.check:
        for tool in ("espeak-ng", "sox"):
            if shutil.which(tool) is None:
                raise CorpusError(f"`{tool}` is not installed; run `apt-get install {tool}`")
    rows = []
    for path in paths:
        if args.check:
            data, sentences = load_answer(path)
            rows.append((path.stem, {
                "voice": data["voice"], "words_per_minute": data["words_per_minute"],
                "signposts": data.get("signposts"),
                "fillers": [f for s in sentences for f in s["fillers"]],
                "lookalikes": [x for s in sentences for x in s["lookalikes"]],
            }))
        else:
            rows.append((path.stem, build(path, here)))
    summarise(rows)


if __name__ == "__main__":
    try:
        main()
    except CorpusError as err:
        sys.exit(f"error: {err}")
