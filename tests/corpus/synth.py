#!/usr/bin/env python3
"""Synthesise the labelled test corpus: NN-slug.toml -> NN-slug.wav + NN-slug.labels.json.

Needs only the Python 3.11+ standard library, `sox` and the speech engines the answers use:
`espeak-ng`, `flite`, `festival` (+ festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts).
Each sentence is synthesised in one or a few chunks, trimmed, resampled to 16 kHz mono s16 and
joined with known pauses, so every sentence's start and end time is exact (counted in samples).
The output is deterministic: the same TOML gives the same WAV and JSON, byte for byte (pauses and
the noise floor come from a hash of the file name, not from a random seed).

The WAVs are not committed; the labels are. Usage (from anywhere):
    synth.py --out DIR [NAME...]   build DIR/NAME.wav (+ DIR/NAME.labels.json); skips answers whose
                                   stamp (hash of TOML, synth.py, engine versions) is unchanged;
                                   fails if the labels made differ from the committed ones
    synth.py --check [NAME...]     synthesise (into --out, or a temporary folder) and verify that
                                   the committed labels are exactly what synthesis yields
    synth.py --labels [NAME...]    synthesise and (re)write the committed NAME.labels.json
    synth.py --lint [NAME...]      validate the TOMLs and print counts; no audio, no engines
    synth.py --stats               print the README's counts tables from the committed labels
NAME is a file stem or a prefix of one ("03" or "03-tax-api-outage"). -j N sets the number of
parallel processes (default 2). See README.md next to this script for the formats.
"""

import argparse
import concurrent.futures
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import wave
from array import array
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Corpus answers told again in other words, by another voice, for another principle
# (`retells = "NN-slug"`): the same-story check is measured on their transcripts.
RETOLD = HERE / "retold"
SAMPLE_RATE_HZ = 16_000
LEAD_IN_MS = 400
TAIL_MS = 600
PAUSE_MIN_MS = 250
PAUSE_MAX_MS = 900
# A `|` inside a sentence: the parts are synthesised apart, with this pause between them.
CHUNK_PAUSE_MS = 450
# A restart ("we -- I decided"): the cut-off part, then this short break.
RESTART_PAUSE_MS = 160
# Gaps around a lengthened filler said inside a sentence ("and ~uhhh the vendor").
STRETCHED_GAP_MS = (60, 220)
STRETCHED_MS = (400, 900)
# Trimming keeps this much audio around the first/last sample louder than the threshold.
TRIM_THRESHOLD = 200
TRIM_MARGIN_MS = 40
# A faint noise floor (about -66 dBFS) so that pauses are not digital zero, as on a real mic.
NOISE_AMPLITUDE = 24
WPM_RANGE = (130, 190)
DURATION_RANGE_S = (45, 130)

LABELS = {"situation", "task", "action", "result", "learning"}
ORDER = ["situation", "task", "action", "result", "learning"]
SPLITS = {"tune", "held-out"}
# Tags a TOML may set in `tags`; the order tags and `no-signposts`/`filler-free` are derived.
FREE_TAGS = {"weak", "we-everywhere", "no-number-in-result", "no-learning", "no-result",
             "unbalanced", "long-pause", "negative", "strong"}
CERTAIN_FILLERS = {"um", "uh", "er", "erm", "hmm"}
# `~uhhh`, `~ummm`: a drawn-out hesitation, synthesised on its own and stretched.
LENGTHENED = re.compile(r"^(u+h+|u+m+)$", re.IGNORECASE)
AMBIGUOUS_FILLERS = [
    "you know", "i mean", "kind of", "sort of",
    "like", "so", "basically", "actually", "right", "well", "literally",
]
SIGNPOSTS = [
    "the situation", "situation was", "my task", "the task was", "my goal was", "my job was",
    "my role was", "as a result", "the result", "the outcome", "what i learned", "i learned",
    "the lesson", "lesson learned", "looking back", "in hindsight", "the action",
]

# Engines: the command that must exist, the rate key a TOML uses, and the voices.
ENGINES = {
    "espeak-ng": {"tool": "espeak-ng", "package": "espeak-ng", "rate": "speed"},
    "flite": {"tool": "flite", "package": "flite", "rate": "stretch"},
    "festival": {"tool": "text2wave", "package": "festival", "rate": "stretch"},
}
FLITE_VOICES = {"kal", "kal16", "slt", "rms", "awb"}
FESTIVAL_VOICES = {  # voice -> (Debian package, synthesis method)
    "kal_diphone": ("festvox-kallpc16k", "diphone"),
    "ked_diphone": ("festvox-kdlpc16k", "diphone"),
    "cmu_us_slt_arctic_hts": ("festvox-us-slt-hts", "hts"),
}
# Output level per engine (sox `vol`): headroom for resampling and the noise floor.
ENGINE_VOLUME = {"espeak-ng": "0.8", "flite": "0.9", "festival": "0.9"}


class CorpusError(Exception):
    pass


class MissingEngine(CorpusError):
    pass


def words_of(text):
    """Lowercased words without surrounding punctuation, as the label indices count them."""
    return [re.sub(r"^[^\w']+|[^\w']+$", "", w).lower() for w in text.split()]


def stable_int(*parts):
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def escape_xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- parsing

def parse_sentence(text, sentence_index, where, seed, engine):
    """Splits one marked-up sentence into words and synthesis chunks.

    Returns (words, chunks, fillers, disfluencies). `words` are the plain tokens of the label
    text (a multi-word filler gives several); a chunk is a dict with `kind` ("speech" or
    "stretched"), `first`/`last` word index and `gap_ms` (pause before it, none for the first).
    """
    words, chunks, fillers, disfluencies = [], [], [], []
    chunk_start, gap_ms = 0, 0

    def close_chunk(next_gap_ms):
        nonlocal chunk_start, gap_ms
        if len(words) > chunk_start:
            chunks.append({"kind": "speech", "first": chunk_start, "last": len(words) - 1,
                           "gap_ms": gap_ms})
            gap_ms = next_gap_ms
        else:
            gap_ms = max(gap_ms, next_gap_ms)
        chunk_start = len(words)

    tokens = text.split()
    for t, token in enumerate(tokens):
        if re.fullmatch(r"\|(\d+)?", token):
            if words and all(w["filler"] or w["say"] for w in words):
                # "Um. | We rolled it back.": a filled pause alone between two sentences.
                for w in words:
                    if w["filler"]:
                        w["filler"]["standalone"] = True
            close_chunk(int(token[1:]) if len(token) > 1 else CHUNK_PAUSE_MS)
            continue
        if token in ("--", "—"):
            if not words:
                raise CorpusError(f"{where}: a restart `--` needs a word before it")
            words[-1]["text"] = words[-1]["text"].rstrip(",") + "—"
            disfluencies.append({"kind": "restart", "sentence_index": sentence_index,
                                 "word_index": len(words) - 1})
            close_chunk(RESTART_PAUSE_MS)
            continue
        if token.startswith("~"):
            match = re.match(r"^([A-Za-z_']+)(.*)$", token[1:])
            if not match:
                raise CorpusError(f"{where}: bad filler marker `{token}`; write `~um` or `~you_know`")
            said, tail = match.group(1), match.group(2)
            key = said.replace("_", " ").lower()
            lengthened = bool(LENGTHENED.match(said)) and key not in CERTAIN_FILLERS
            if lengthened:
                key = "um" if key.endswith("m") else "uh"
                said = said[0] + key[1:] if said[0].isupper() else key
            if key in CERTAIN_FILLERS:
                kind = "certain"
            elif key in AMBIGUOUS_FILLERS:
                kind = "ambiguous"
            else:
                raise CorpusError(f"{where}: `{token}` is not a known filler; add it to synth.py")
            filler = {"word": key, "kind": kind, "sentence_index": sentence_index,
                      "word_index": len(words)}
            # flite and festival say a plain "um"/"uh" inside a sentence in under 0.1 s; as
            # people draw them out, they get their own chunk, said slowly (not stretched).
            alone = lengthened or (kind == "certain" and engine != "espeak-ng")
            if alone:
                if lengthened:
                    filler["lengthened"] = True
                inner = t > 0 and t + 1 < len(tokens) and tokens[t + 1][0] != "|"
                span = STRETCHED_GAP_MS[1] - STRETCHED_GAP_MS[0] + 1
                close_chunk(STRETCHED_GAP_MS[0] + stable_int(seed, t, "gap") % span)
                gap = STRETCHED_GAP_MS[0] + stable_int(seed, t, "gap2") % span
                target = STRETCHED_MS[0] + stable_int(seed, t, "len") % (
                    STRETCHED_MS[1] - STRETCHED_MS[0] + 1) if lengthened else None
                words.append({"text": said + tail, "say": key, "filler": filler,
                              "certain": True})
                chunks.append({"kind": "stretched", "first": len(words) - 1,
                               "last": len(words) - 1, "gap_ms": gap_ms,
                               "target_ms": target, "word": key})
                chunk_start = len(words)
                gap_ms = gap if inner else CHUNK_PAUSE_MS
            else:
                parts = said.split("_")
                for p, part in enumerate(parts):
                    words.append({"text": part + (tail if p == len(parts) - 1 else ""),
                                  "say": part, "filler": filler if p == 0 else None,
                                  "certain": kind == "certain"})
            fillers.append(filler)
            continue
        if words_of(token)[0] in CERTAIN_FILLERS:
            raise CorpusError(f"{where}: `{token}` is always a filler; mark it `~{token}`")
        words.append({"text": token, "say": None, "filler": None, "certain": False})
    close_chunk(0)
    if not words:
        raise CorpusError(f"{where}: empty sentence")
    # Repeated words ("the the") are disfluencies too; record them.
    bare = [words_of(w["text"])[0] for w in words]
    for i in range(1, len(bare)):
        if bare[i] and bare[i] == bare[i - 1] and not words[i]["filler"]:
            disfluencies.append({"kind": "repetition", "sentence_index": sentence_index,
                                 "word_index": i})
    return words, chunks, fillers, disfluencies


def find_lookalikes(words, fillers, sentence_index):
    taken = set()
    for f in fillers:
        taken.update(range(f["word_index"], f["word_index"] + len(f["word"].split())))
    bare = [words_of(w["text"])[0] for w in words]
    found, i = [], 0
    while i < len(bare):
        hit = None
        for candidate in AMBIGUOUS_FILLERS:
            parts = candidate.split()
            if bare[i:i + len(parts)] == parts and not taken.intersection(
                    range(i, i + len(parts))):
                hit = candidate
                break
        if hit:
            found.append({"word": hit, "sentence_index": sentence_index, "word_index": i})
            i += len(hit.split())
        else:
            i += 1
    return found


def order_tags(labels):
    runs = [l for i, l in enumerate(labels) if i == 0 or labels[i - 1] != l]
    tags = []
    if runs[0] == "result":
        tags.append("result-first")
    elif runs[0] == "learning":
        tags.append("lesson-first")
    rest = runs[1:] if tags else runs
    ranks = [ORDER.index(l) for l in rest]
    if any(b < a for a, b in zip(ranks, ranks[1:])):
        tags.append("interleaved")
    return tags or ["in-order"]


def load_answer(path):
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise CorpusError(f"{path.name}: invalid TOML ({err}); fix the syntax") from err
    for key in ("voice", "principle", "split", "sentence"):
        if key not in data:
            raise CorpusError(f"{path.name}: missing `{key}`; see README.md for the format")
    engine = data.get("engine", "espeak-ng")
    if engine not in ENGINES:
        raise CorpusError(f"{path.name}: engine must be one of {sorted(ENGINES)}")
    rate_key = ENGINES[engine]["rate"]
    if rate_key not in data:
        raise CorpusError(f"{path.name}: engine {engine} needs `{rate_key}`")
    voice = data["voice"]
    if engine == "flite" and voice not in FLITE_VOICES:
        raise CorpusError(f"{path.name}: flite voice must be one of {sorted(FLITE_VOICES)}")
    if engine == "festival" and voice not in FESTIVAL_VOICES:
        raise CorpusError(f"{path.name}: festival voice must be one of {sorted(FESTIVAL_VOICES)}")
    if data["split"] not in SPLITS:
        raise CorpusError(f"{path.name}: split must be one of {sorted(SPLITS)}")
    retells = data.get("retells")
    if (path.parent == RETOLD) != (retells is not None):
        raise CorpusError(f"{path.name}: `retells = \"NN-slug\"` belongs in exactly the answers "
                          "under retold/; move the file or fix the key")
    if retells is not None:
        original_path = HERE / f"{retells}.toml"
        if not original_path.is_file():
            raise CorpusError(f"{path.name}: retells `{retells}`, which is not a corpus answer; "
                              "name an NN-slug from tests/corpus")
        original = tomllib.loads(original_path.read_text(encoding="utf-8"))
        if (original.get("engine", "espeak-ng"), original["voice"]) == (engine, voice):
            raise CorpusError(f"{path.name}: told by the same voice as {retells}; pick another")
        if original["principle"] == data["principle"]:
            raise CorpusError(f"{path.name}: told for the same principle as {retells}; a "
                              "retelling reuses the story for another principle")
    unknown = set(data.get("tags", [])) - FREE_TAGS
    if unknown:
        raise CorpusError(f"{path.name}: unknown tags {sorted(unknown)}; known: {sorted(FREE_TAGS)}")
    sentences = []
    for index, raw in enumerate(data["sentence"]):
        where = f"{path.name} sentence {index}"
        if raw.get("label") not in LABELS:
            raise CorpusError(f"{where}: label must be one of {sorted(LABELS)}")
        words, chunks, fillers, disfluencies = parse_sentence(
            raw["text"], index, where, f"{path.stem}:{index}", engine)
        pause_ms = raw.get("pause_before_ms")
        if pause_ms is None:
            pause_ms = LEAD_IN_MS if index == 0 else (
                PAUSE_MIN_MS + stable_int(path.stem, index) % (PAUSE_MAX_MS - PAUSE_MIN_MS + 1))
        sentences.append({
            "label": raw["label"], "words": words, "chunks": chunks,
            "text": " ".join(w["text"] for w in words), "pause_before_ms": int(pause_ms),
            "fillers": fillers, "lookalikes": find_lookalikes(words, fillers, index),
            "disfluencies": disfluencies,
        })
    # The learning check's truth is the labels: the tag and the sentences must agree.
    has_learning = any(s["label"] == "learning" for s in sentences)
    if has_learning == ("no-learning" in data.get("tags", [])):
        raise CorpusError(f"{path.name}: tag `no-learning` must be set exactly when no sentence "
                          "is labelled learning; fix `tags`")
    if data.get("signposts") is False:
        for s in sentences:
            lowered = " ".join(words_of(s["text"]))
            for phrase in SIGNPOSTS:
                if re.search(rf"\b{phrase}\b", lowered):
                    raise CorpusError(f"{path.name}: says `signposts = false` but contains "
                                      f"`{phrase}`; reword it or set `signposts = true`")
    tags = order_tags([s["label"] for s in sentences])
    if data.get("signposts") is False:
        tags.append("no-signposts")
    if not any(s["fillers"] for s in sentences):
        tags.append("filler-free")
    if any(f.get("lengthened") for s in sentences for f in s["fillers"]):
        tags.append("lengthened-fillers")
    if any(f.get("standalone") for s in sentences for f in s["fillers"]):
        tags.append("standalone-filler")
    kinds = {d["kind"] for s in sentences for d in s["disfluencies"]}
    tags += sorted({"restart": "restarts", "repetition": "repetitions"}[k] for k in kinds)
    tags += sorted(set(data.get("tags", [])))
    data["engine"] = engine
    data["rate"] = {rate_key: data[rate_key]}
    data["shape_tags"] = tags
    return data, sentences


# ---------------------------------------------------------------- engines

def run(command, stdin=None):
    result = subprocess.run(command, capture_output=True, text=True, input=stdin)
    if result.returncode != 0:
        raise CorpusError(f"`{' '.join(command[:4])} ...` failed: {result.stderr.strip()}")
    return result.stdout


def require(engines, voices=()):
    missing = [t for t in ("sox",) if shutil.which(t) is None]
    packages = ["sox"] if missing else []
    for engine in sorted(engines):
        if shutil.which(ENGINES[engine]["tool"]) is None:
            missing.append(ENGINES[engine]["tool"])
            packages.append(ENGINES[engine]["package"])
    for voice in sorted(voices):
        if voice in FESTIVAL_VOICES and shutil.which("festival"):
            package = FESTIVAL_VOICES[voice][0]
            if not festival_voice_installed(voice):
                missing.append(f"festival voice {voice}")
                packages.append(package)
    if missing:
        raise MissingEngine(f"missing {', '.join(missing)}; install with "
                            f"`apt-get install --no-install-recommends {' '.join(packages)}`")


def festival_voice_installed(voice):
    roots = [Path("/usr/share/festival/voices"), Path("/usr/local/share/festival/voices")]
    return any(root.is_dir() and any(root.glob(f"*/{voice}")) for root in roots)


_VERSIONS = {}


def engine_version(engine):
    """Versions that change the audio; part of the stamp that decides what is rebuilt."""
    if engine not in _VERSIONS:
        parts = []
        if engine == "sox":
            parts.append(run(["sox", "--version"]).strip())
        elif engine == "espeak-ng":
            parts.append(run(["espeak-ng", "--version"]).strip())
        elif engine == "flite":
            # flite --version exits 1, but prints its version.
            parts.append(subprocess.run(["flite", "--version"], capture_output=True,
                                        text=True).stdout.strip())
        elif engine == "festival":
            parts.append(run(["festival", "--version"]).strip())
        if shutil.which("dpkg-query"):
            packages = {"espeak-ng": ["espeak-ng-data"], "flite": ["flite", "libflite1"],
                        "festival": ["festival"] + [p for p, _ in FESTIVAL_VOICES.values()],
                        "sox": ["sox", "libsox3"]}[engine]
            out = subprocess.run(["dpkg-query", "-W", *packages], capture_output=True,
                                 text=True).stdout
            parts.append(out.strip())
        _VERSIONS[engine] = "\n".join(parts)
    return _VERSIONS[engine]


def to_16k(raw, out, engine, extra=()):
    # -D: no dither, so the output does not depend on a random generator; `vol` leaves
    # headroom because some engines peak at full scale and resampling would clip.
    run(["sox", "-D", str(raw), "-r", str(SAMPLE_RATE_HZ), "-c", "1", "-b", "16",
         "-e", "signed-integer", str(out), *extra, "vol", ENGINE_VOLUME[engine]])
    with wave.open(str(out), "rb") as w:
        samples = array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def loud_span(samples, what):
    first = next((i for i, v in enumerate(samples) if abs(v) > TRIM_THRESHOLD), None)
    if first is None:
        raise CorpusError(f"the engine produced silence for `{what}`; check the voice name")
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > TRIM_THRESHOLD)
    return first, last


def trim(samples, what):
    """Returns (clip, offset of the clip in `samples`)."""
    first, last = loud_span(samples, what)
    margin = TRIM_MARGIN_MS * SAMPLE_RATE_HZ // 1000
    start = max(0, first - margin)
    end = min(len(samples), last + margin + 1)
    return samples[start:end], start


def chunk_text(words, chunk, engine):
    """The text an engine is given for one chunk."""
    parts = []
    for w in words[chunk["first"]:chunk["last"] + 1]:
        text = w["text"].replace("—", "")
        if engine == "espeak-ng":
            if w["certain"]:
                # Said slowly, as a hesitation is; the word itself is unchanged.
                m = re.match(r"^([A-Za-z]+)(.*)$", text)
                parts.append(f'<prosody rate="x-slow">{escape_xml(m.group(1))}</prosody>'
                             + escape_xml(m.group(2)))
            else:
                parts.append(escape_xml(text))
        else:
            parts.append(text)
    return " ".join(parts)


class Job:
    """One answer's synthesis: chunks in, 16 kHz clips and word times out."""

    def __init__(self, data, sentences, workdir):
        self.data, self.sentences, self.work = data, sentences, Path(workdir)
        self.engine, self.voice = data["engine"], data["voice"]
        self.rate = data["rate"]
        self.counter = 0

    def tmp(self, suffix):
        self.counter += 1
        return self.work / f"{self.counter:04d}{suffix}"

    # Each `synth_*` returns (samples at 16 kHz, [(word start s, word end s) or None per word]).

    def espeak(self, ssml, speed, extra=()):
        raw = self.tmp(".wav")
        run(["espeak-ng", "-v", self.voice, "-s", str(speed), "-m", *extra, "-w", str(raw), ssml])
        return to_16k(raw, self.tmp(".wav"), "espeak-ng")

    def espeak_times(self, words, chunk, wanted):
        """Word times by synthesising the sentence up to the word (espeak-ng has no word
        timing on its command line): ±0.1 s, enough for filler matching."""
        times = {}
        first = chunk["first"]
        speed = self.rate["speed"]
        full = self.espeak(chunk_text(words, chunk, "espeak-ng"), speed, ["-z"])
        f0, _ = loud_span(full, "chunk")

        def end_of(k):  # loud end of words first..k, in seconds from the chunk's loud start
            sub = dict(chunk, last=k)
            s = self.espeak(chunk_text(words, sub, "espeak-ng"), speed, ["-z"])
            a, b = loud_span(s, "prefix")
            return (b + 1 - a) / SAMPLE_RATE_HZ

        for k in wanted:
            start = 0.0 if k == first else end_of(k - 1)
            if k > first and re.search(r"[,;:]$", words[k - 1]["text"]):
                start += self.comma_pause(speed)
            end = end_of(k) if k < chunk["last"] else (len(full) - f0) / SAMPLE_RATE_HZ
            times[k] = (start, max(end, start + 0.05))
        return times, f0

    _comma = {}

    def comma_pause(self, speed):
        key = (self.voice, speed)
        if key not in Job._comma:
            lengths = []
            for text in ("seven, eleven", "seven eleven"):
                a, b = loud_span(self.espeak(text, speed, ["-z"]), text)
                lengths.append(b - a)
            Job._comma[key] = max(0, lengths[0] - lengths[1]) / SAMPLE_RATE_HZ
        return Job._comma[key]

    def flite(self, text, stretch, extra=()):
        raw = self.tmp(".wav")
        out = run(["flite", "-voice", self.voice, "--setf", f"duration_stretch={stretch}",
                   *extra, "-psdur", "-t", text, "-o", str(raw)])
        segments = []
        for item in out.split():
            name, _, end = item.rpartition(":")
            segments.append((name, float(end)))
        return to_16k(raw, self.tmp(".wav"), "flite"), segments

    def flite_word_phones(self, words):
        """Phones of each word said alone (one call: words separated by full stops)."""
        texts = [re.sub(r"[^\w'%$,.]", "", w["text"].replace("—", "")).strip(".,") or "a"
                 for w in words]
        out = run(["flite", "-voice", self.voice, "-ps", "-o", "none", "-t",
                   ". ".join(texts) + "."])
        groups = [g.split() for g in " ".join(out.split()).split("pau")]
        groups = [g for g in groups if g]
        return groups if len(groups) == len(words) else None

    def synthesise(self):
        """Returns, per sentence, a list of (gap_ms, clip, {word index: (start, end)})."""
        if self.engine == "festival":
            return self.festival_all()
        result = []
        for s in self.sentences:
            pieces = []
            for chunk in s["chunks"]:
                if chunk["kind"] == "stretched":
                    pieces.append(self.stretched(chunk))
                    continue
                wanted = [k for k in range(chunk["first"], chunk["last"] + 1)
                          if self.needs_time(s, k)]
                text = chunk_text(s["words"], chunk, self.engine)
                if self.engine == "espeak-ng":
                    samples = self.espeak(text, self.rate["speed"])
                    clip, offset = trim(samples, text)
                    times = {}
                    if wanted:
                        rel, _ = self.espeak_times(s["words"], chunk, wanted)
                        f0, _ = loud_span(samples, text)
                        shift = (f0 - offset) / SAMPLE_RATE_HZ
                        times = {k: (a + shift, b + shift) for k, (a, b) in rel.items()}
                else:
                    samples, segments = self.flite(text, self.rate["stretch"])
                    clip, offset = trim(samples, text)
                    times = self.align_flite(s["words"], chunk, segments, offset)
                pieces.append((chunk["gap_ms"], clip, times))
            result.append(pieces)
        return result

    @staticmethod
    def needs_time(sentence, k):
        marked = {m["word_index"] for m in sentence["fillers"] + sentence["lookalikes"]}
        return k in marked

    def align_flite(self, words, chunk, segments, offset):
        chunk_words = words[chunk["first"]:chunk["last"] + 1]
        phones = self.flite_word_phones(chunk_words)
        return word_times_from_segments(chunk["first"], chunk_words, phones, segments, offset)

    def stretched(self, chunk):
        """A drawn-out "uhhh"/"ummm": the word alone, said slowly, stretched to its target
        length with sox `tempo` (which keeps the pitch)."""
        word = chunk["word"]
        # A filled pause has a flat pitch: espeak-ng flattens with a 0% pitch range, flite with
        # no spread around its intonation target (measured: under 1.5 semitones).
        if self.engine == "espeak-ng":
            samples = self.espeak(f'<prosody range="0%">{word}</prosody>', 80)
        elif self.engine == "flite":
            samples, _ = self.flite(word, 2.0 if chunk["target_ms"] else 1.6,
                                    ["--setf", "int_f0_target_stddev=0"])
        else:
            raise AssertionError("festival stretches in festival_all")
        return self.stretch_to(samples, chunk)

    def stretch_to(self, samples, chunk):
        clip, _ = trim(samples, chunk["word"])
        first, last = loud_span(clip, chunk["word"])
        have_ms = (last - first + 1) * 1000 / SAMPLE_RATE_HZ
        margin = TRIM_MARGIN_MS / 1000
        if chunk["target_ms"] is None:
            return (chunk["gap_ms"], clip, {chunk["first"]: (margin, len(clip) / SAMPLE_RATE_HZ
                                                             - margin)})
        factor = max(0.2, min(4.0, have_ms / chunk["target_ms"]))
        src = self.tmp(".wav")
        write_wav(src, clip)
        run(["sox", "-D", str(src), str(self.tmp(".wav")), "tempo", "-s", f"{factor:.4f}"])
        with wave.open(str(self.work / f"{self.counter:04d}.wav"), "rb") as w:
            out = array("h", w.readframes(w.getnframes()))
        if sys.byteorder == "big":
            out.byteswap()
        out, _ = trim(out, chunk["word"])
        times = {chunk["first"]: (margin, len(out) / SAMPLE_RATE_HZ - margin)}
        return (chunk["gap_ms"], out, times)

    def festival_all(self):
        """One festival process per answer (it takes 0.5-1 s to start): every chunk is written
        to its own WAV, and the start of every token and the end of every segment printed."""
        _, method = FESTIVAL_VOICES[self.voice]
        stretch = self.rate["stretch"]
        lines = [FESTIVAL_PRELUDE, f"(voice_{self.voice})"]
        if method == "hts":
            lines.append("(set! corpus-hts-base hts_engine_params)")
        plan = []
        for si, s in enumerate(self.sentences):
            for ci, chunk in enumerate(s["chunks"]):
                slow = chunk["kind"] == "stretched"
                factor = (2.0 if chunk["target_ms"] else 1.6) if slow else stretch
                if method == "hts":
                    lines.append(f'(set! hts_engine_params (append corpus-hts-base '
                                 f'(list (list "-r" {1 / factor:.4f}))))')
                else:
                    lines.append(f"(Parameter.set 'Duration_Stretch {factor})")
                text = chunk["word"] if slow else chunk_text(s["words"], chunk, "festival")
                path = self.work / f"f{si:03d}-{ci:02d}.wav"
                scheme_text = text.replace("\\", "\\\\").replace('"', '\\"')
                lines.append(f'(corpus-say "{scheme_text}" "{path}" "{si}-{ci}")')
                plan.append((si, ci, chunk, path))
        script = self.work / "corpus.scm"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = run(["festival", "-b", str(script)])
        info = {}
        for line in out.splitlines():
            if line.startswith("CHUNK "):
                key = line.split()[1]
                info[key] = {"tokens": [], "segments": []}
            elif line.startswith("TOK "):
                _, start, name = line.split(" ", 2)
                info[key]["tokens"].append((name, float(start)))
            elif line.startswith("SEG "):
                _, name, end = line.split()
                info[key]["segments"].append((name, float(end)))
        result = [[] for _ in self.sentences]
        for si, ci, chunk, path in plan:
            s = self.sentences[si]
            samples = to_16k(path, self.tmp(".wav"), "festival")
            if chunk["kind"] == "stretched":
                result[si].append(self.stretch_to(samples, chunk))
                continue
            clip, offset = trim(samples, path.name)
            got = info[f"{si}-{ci}"]
            chunk_words = s["words"][chunk["first"]:chunk["last"] + 1]
            times = festival_word_times(chunk["first"], chunk_words, got, offset)
            result[si].append((chunk["gap_ms"], clip, times))
        return result


FESTIVAL_PRELUDE = r"""
(define (corpus-seg w first)
  (let ((syl (item.relation w 'SylStructure)))
    (if syl
      (let ((s (if first (item.daughter1 syl) (item.daughtern syl))))
        (if s (let ((p (if first (item.daughter1 s) (item.daughtern s))))
                (if p (item.relation p 'Segment) nil)) nil)) nil)))
(define (corpus-say text path key)
  (let ((u (SynthText text)) (tok nil))
    (utt.save.wave u path 'riff)
    (format t "CHUNK %s\n" key)
    (set! tok (utt.relation.first u 'Token))
    (while tok
      (let ((ws (item.daughters tok)))
        (if ws
          (let ((a (corpus-seg (car ws) t)))
            (format t "TOK %f %s\n" (if a (item.feat a "segment_start") -1) (item.name tok)))))
      (set! tok (item.next tok)))
    (mapcar (lambda (s) (format t "SEG %s %f\n" (item.name s) (item.feat s "end")))
            (utt.relation.items u 'Segment))))
"""


def word_end(start, next_start, segments):
    """The end of the last non-pause segment that ends after `start` and by `next_start`."""
    end = None
    for name, seg_end in segments:
        if seg_end > next_start + 1e-6:
            break
        if seg_end > start + 1e-6 and name not in ("pau", "h#", "#"):
            end = seg_end
    return end if end is not None else next_start


def festival_word_times(first, chunk_words, got, offset):
    tokens = got["tokens"]
    segments = got["segments"]
    shift = offset / SAMPLE_RATE_HZ
    total = segments[-1][1] if segments else 0.0
    if len(tokens) != len(chunk_words):
        return {}
    times = {}
    for i, (_, start) in enumerate(tokens):
        if start < 0:
            continue
        nxt = next((t for _, t in tokens[i + 1:] if t >= 0), total)
        times[first + i] = (start - shift, word_end(start, nxt, segments) - shift)
    return times


def word_times_from_segments(first, chunk_words, phones, segments, offset):
    """Maps each word to its segments in flite's `-psdur` output by aligning the sentence's
    phones with the phones of the words said one by one."""
    if not phones:
        return {}
    seg_names, seg_starts, seg_ends = [], [], []
    previous = 0.0
    for name, end in segments:
        if name != "pau":
            seg_names.append(name)
            seg_starts.append(previous)
            seg_ends.append(end)
        previous = end
    flat, owner = [], []
    for i, group in enumerate(phones):
        flat += group
        owner += [i] * len(group)
    matcher = difflib.SequenceMatcher(None, flat, seg_names, autojunk=False)
    mapping = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            mapping[a + k] = b + k
    shift = offset / SAMPLE_RATE_HZ
    times = {}
    for i in range(len(chunk_words)):
        mine = [p for p, o in enumerate(owner) if o == i and p in mapping]
        if not mine:
            continue
        times[first + i] = (seg_starts[mapping[mine[0]]] - shift,
                            seg_ends[mapping[mine[-1]]] - shift)
    return times


# ---------------------------------------------------------------- assembling

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


def write_wav(path, samples):
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE_HZ)
        w.writeframes(data.tobytes())


def build(path, wav_path):
    """Synthesises one answer into `wav_path`; returns its labels."""
    data, sentences = load_answer(path)
    audio = array("h")
    labelled, fillers, lookalikes, disfluencies = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        pieces_per_sentence = Job(data, sentences, tmp).synthesise()
    r = lambda x: round(x, 6)  # noqa: E731
    for s, pieces in zip(sentences, pieces_per_sentence):
        audio.extend(silence(s["pause_before_ms"]))
        start = len(audio)
        word_times = {}
        for index, (gap_ms, clip, times) in enumerate(pieces):
            if index:
                audio.extend(silence(gap_ms))
            at = len(audio) / SAMPLE_RATE_HZ
            clip_s = len(clip) / SAMPLE_RATE_HZ
            for k, (a, b) in times.items():
                a, b = max(0.0, min(a, clip_s)), max(0.0, min(b, clip_s))
                word_times[k] = (at + a, at + max(a, b))
            audio.extend(clip)
        labelled.append({"label": s["label"], "text": s["text"],
                         "start_s": r(start / SAMPLE_RATE_HZ),
                         "end_s": r(len(audio) / SAMPLE_RATE_HZ)})
        for item, out in ((s["fillers"], fillers), (s["lookalikes"], lookalikes)):
            for m in item:
                entry = dict(m)
                times = word_times.get(m["word_index"])
                if times is None:
                    raise CorpusError(f"{path.name}: no time for `{m['word']}` in sentence "
                                      f"{m['sentence_index']} (word {m['word_index']})")
                last = m["word_index"] + len(m["word"].split()) - 1
                end = word_times.get(last, times)[1]
                entry["start_s"], entry["end_s"] = r(times[0]), r(max(end, times[0]))
                out.append(entry)
        disfluencies.extend(s["disfluencies"])
    audio.extend(silence(TAIL_MS))
    add_noise_floor(audio, stable_int(path.stem, "noise"))
    write_wav(wav_path, audio)
    script = " ".join(s["text"] for s in sentences)
    n_words = len([w for w in words_of(script) if w])
    span = labelled[-1]["end_s"] - labelled[0]["start_s"]
    return {
        "duration_s": r(len(audio) / SAMPLE_RATE_HZ),
        "sample_rate_hz": SAMPLE_RATE_HZ,
        "engine": data["engine"],
        "voice": data["voice"],
        "rate": data["rate"],
        "words_per_minute": round(n_words * 60 / span, 1),
        "principle": data["principle"],
        "split": data["split"],
        "signposts": data.get("signposts"),
        "shape": data["shape_tags"],
        "description": data.get("description"),
        **({"retells": data["retells"]} if "retells" in data else {}),
        "timing": "estimated" if data["engine"] == "espeak-ng" else "engine",
        "script": script,
        "sentences": labelled,
        "fillers": fillers,
        "lookalikes": lookalikes,
        "disfluencies": disfluencies,
    }


def labels_text(labels):
    return json.dumps(labels, indent=2, ensure_ascii=False) + "\n"


def stamp_of(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    engine = data.get("engine", "espeak-ng")
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(path.read_bytes())
    h.update(engine_version(engine).encode())
    h.update(engine_version("sox").encode())
    return h.hexdigest()


def build_one(args):
    """Worker: (toml path, out dir, force) -> (stem, labels text or None if up to date)."""
    path, out_dir, force = args
    wav = out_dir / f"{path.stem}.wav"
    stamp_file = out_dir / f"{path.stem}.stamp"
    labels_file = out_dir / f"{path.stem}.labels.json"
    stamp = stamp_of(path)
    if (not force and wav.exists() and labels_file.exists() and stamp_file.exists()
            and stamp_file.read_text() == stamp):
        return path.stem, labels_file.read_text(encoding="utf-8"), False
    # Every file is written aside and renamed into place, so that two test binaries that
    # build the same folder at once never read half a file.
    tag = f".{path.stem}.{os.getpid()}"
    partial = out_dir / f"{tag}.wav.part"
    labels = build(path, partial)
    text = labels_text(labels)
    os.replace(partial, wav)
    for target, content in ((labels_file, text), (stamp_file, stamp)):  # the stamp last
        aside = out_dir / f"{tag}.{target.suffix[1:]}.part"
        aside.write_text(content, encoding="utf-8")
        os.replace(aside, target)
    return path.stem, text, True


# ---------------------------------------------------------------- reports

def summarise(rows):
    """rows: (name, labels-like dict). Prints one line per answer and the totals."""
    totals = {"certain": 0, "ambiguous": 0, "lookalikes": 0, "filler_free": 0, "no_signposts": 0}
    for name, info in rows:
        certain = sum(1 for f in info["fillers"] if f["kind"] == "certain")
        ambiguous = len(info["fillers"]) - certain
        duration = info.get("duration_s")
        shown = f"{duration:6.1f} s" if duration is not None else "   -    "
        wpm = info.get("words_per_minute")
        wpm_shown = f"{wpm:5.1f}" if isinstance(wpm, float) else "    -"
        warn = ""
        if duration is not None and not DURATION_RANGE_S[0] <= duration <= DURATION_RANGE_S[1]:
            warn += "  ! duration"
        if isinstance(wpm, float) and not WPM_RANGE[0] <= wpm <= WPM_RANGE[1]:
            warn += "  ! wpm"
        print(f"{name:34} {shown} {info['engine']:9} {info['voice']:22} {wpm_shown} wpm "
              f"{info['split']:8} um/uh {certain:2} ambig {ambiguous:2} "
              f"look {len(info['lookalikes']):2}{warn}")
        totals["certain"] += certain
        totals["ambiguous"] += ambiguous
        totals["lookalikes"] += len(info["lookalikes"])
        totals["filler_free"] += not info["fillers"]
        totals["no_signposts"] += info.get("signposts") is False
    print(f"{len(rows)} answers: {totals['certain']} certain fillers, {totals['ambiguous']} "
          f"ambiguous fillers, {totals['lookalikes']} look-alikes, {totals['filler_free']} "
          f"filler-free answers, {totals['no_signposts']} without signposts")


def stats(paths):
    """Markdown tables of the committed labels, for the README."""
    rows = []
    for p in paths:
        labels = json.loads((p.parent / f"{p.stem}.labels.json").read_text(encoding="utf-8"))
        rows.append((p.stem, labels))

    def table(title, key_fn):
        counts = {}
        for _, l in rows:
            for key in key_fn(l):
                c = counts.setdefault(key, {"tune": 0, "held-out": 0})
                c[l["split"]] += 1
        print(f"\n| {title} | tune | held-out | all |\n|---|---|---|---|")
        for key in sorted(counts):
            c = counts[key]
            print(f"| {key} | {c['tune']} | {c['held-out']} | {c['tune'] + c['held-out']} |")

    table("engine", lambda l: [l["engine"]])
    table("voice", lambda l: [f"{l['engine']} `{l['voice']}`"])
    table("shape", lambda l: l["shape"])
    for title, field, fn in (
            ("filler (answers' total)", "fillers",
             lambda m: f"{m['word']}" + (" (lengthened)" if m.get("lengthened") else "")),
            ("look-alike", "lookalikes", lambda m: m["word"]),
            ("disfluency", "disfluencies", lambda m: m["kind"])):
        counts = {}
        for _, l in rows:
            for m in l[field]:
                c = counts.setdefault(fn(m), {"tune": 0, "held-out": 0})
                c[l["split"]] += 1
        print(f"\n| {title} | tune | held-out | all |\n|---|---|---|---|")
        for key in sorted(counts):
            c = counts[key]
            print(f"| {key} | {c['tune']} | {c['held-out']} | {c['tune'] + c['held-out']} |")
    print("\n| answer | engine | voice | split | s | wpm | principle | shape | um/uh | "
          "ambiguous | look-alikes |\n|---|---|---|---|---|---|---|---|---|---|---|")
    for name, l in rows:
        certain = sum(1 for f in l["fillers"] if f["kind"] == "certain")
        print(f"| {name} | {l['engine']} | `{l['voice']}` | {l['split']} | "
              f"{l['duration_s']:.0f} | {l['words_per_minute']:.0f} | {l['principle']} | "
              f"{', '.join(l['shape'])} | {certain} | {len(l['fillers']) - certain} | "
              f"{len(l['lookalikes'])} |")


def select(only):
    paths = sorted(HERE.glob("[0-9][0-9]-*.toml")) + sorted(RETOLD.glob("r[0-9][0-9]-*.toml"))
    if only:
        chosen = [p for p in paths if any(p.stem == o or p.stem.startswith(o) for o in only)]
        unknown = [o for o in only if not any(p.stem.startswith(o) for p in paths)]
        if unknown:
            raise CorpusError(f"no answer named {', '.join(unknown)} in {HERE}")
        paths = chosen
    if not paths:
        raise CorpusError(f"no NN-slug.toml files in {HERE}")
    return paths


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[9:]))
    parser.add_argument("names", nargs="*", help="answer names or prefixes (default: all)")
    parser.add_argument("--out", type=Path, help="folder for the WAVs (created if missing)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="verify the committed labels against a fresh synthesis")
    mode.add_argument("--labels", action="store_true", help="rewrite the committed labels")
    mode.add_argument("--lint", action="store_true", help="validate and count; no audio")
    mode.add_argument("--stats", action="store_true", help="README tables from the labels")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel processes (2)")
    args = parser.parse_args()
    paths = select(args.names)

    if args.lint:
        rows = []
        for path in paths:
            data, sentences = load_answer(path)
            rows.append((path.stem, {
                "engine": data["engine"], "voice": data["voice"], "split": data["split"],
                "signposts": data.get("signposts"),
                "fillers": [f for s in sentences for f in s["fillers"]],
                "lookalikes": [x for s in sentences for x in s["lookalikes"]],
            }))
        summarise(rows)
        return 0
    if args.stats:
        # The README's tables are of the labelled corpus; retold answers only when named.
        stats(paths if args.names else [p for p in paths if p.parent == HERE])
        return 0
    if not (args.out or args.check or args.labels):
        parser.error("say what to do: --out DIR, --check, --labels, --lint or --stats")

    answers = [load_answer(p)[0] for p in paths]
    require({a["engine"] for a in answers}, {a["voice"] for a in answers})
    with tempfile.TemporaryDirectory(prefix="corpus-out-") as scratch:
        out_dir = args.out or Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        jobs = [(p, out_dir, args.force) for p in paths]
        results = {}
        if args.jobs > 1 and len(jobs) > 1:
            # Longest first (festival answers start a slow process), so both workers end together.
            jobs.sort(key=lambda j: -j[0].stat().st_size)
            with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
                for stem, text, built in pool.map(build_one, jobs):
                    results[stem] = (text, built)
        else:
            for job in jobs:
                stem, text, built = build_one(job)
                results[stem] = (text, built)
        rows, differ = [], []
        for path in paths:
            text, built = results[path.stem]
            committed = path.parent / f"{path.stem}.labels.json"
            if args.labels:
                if not committed.exists() or committed.read_text(encoding="utf-8") != text:
                    committed.write_text(text, encoding="utf-8")
                    print(f"wrote {committed.name}", file=sys.stderr)
            elif not committed.exists() or committed.read_text(encoding="utf-8") != text:
                differ.append(path.stem)
            rows.append((path.stem, json.loads(text)))
        summarise(rows)
        built = sum(1 for t, b in results.values() if b)
        print(f"{built} built, {len(results) - built} up to date"
              + (f", in {out_dir}" if args.out else ""))
        if differ:
            print(f"error: the committed labels differ from what synthesis yields for "
                  f"{', '.join(differ)}; if the TOML changed on purpose, run "
                  f"`python3 tests/corpus/synth.py --labels {' '.join(differ)}` and commit "
                  f"the labels; otherwise the engine versions differ from the ones the labels "
                  f"were made with (see README.md)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MissingEngine as err:
        sys.exit(f"error: {err}")
    except CorpusError as err:
        sys.exit(f"error: {err}")
