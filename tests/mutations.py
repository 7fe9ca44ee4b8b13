"""Hypothesis strategies that damage a valid file the ways real files get damaged.

Used by the property-based tests of every file reader (see docs/security.md): a reader given any
of these must either read the file or raise its own error type, never an IndexError, KeyError,
OverflowError, UnicodeDecodeError or TypeError.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Cells people (and broken exports) put where a number or an id belongs.
NASTY_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "1e309",
            "9" * 400,
            "-" + "9" * 30,
            "1/0",
            "0x10",
            "1_000",
            "١٢",  # Arabic-Indic digits
            "²",
            "\x00",
            "\x1b[31m",
            '"',
            "'",
            ";",
            ",",
            "\r",
            "\n",
            "\ufeff",
            "=1+1",
            "---",
            "key: [",
            "€",
        ]
    ),
    st.text(max_size=12),
    st.integers().map(str),
    st.floats().map(str),
)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with one to three random edits: cut, delete, duplicate, insert, replace, recode."""
    for _ in range(draw(st.integers(1, 3))):
        n = len(data)
        kind = draw(
            st.sampled_from(
                [
                    "truncate",
                    "delete",
                    "dup_line",
                    "swap_lines",
                    "insert",
                    "cell",
                    "bytes",
                    "latin1",
                ]
            )
        )
        if kind == "truncate":
            data = data[: draw(st.integers(0, n))]
        elif kind == "delete" and n:
            start = draw(st.integers(0, n - 1))
            data = data[:start] + data[start + draw(st.integers(1, 20)) :]
        elif kind in ("dup_line", "swap_lines"):
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "dup_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif kind == "insert":
            at = draw(st.integers(0, n))
            data = data[:at] + draw(NASTY_CELLS).encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "cell":
            # Replace one cell (between separators) with a nasty value.
            separators = [i for i, b in enumerate(data) if b in b",;\n"]
            if separators:
                k = draw(st.integers(0, len(separators) - 1))
                start = separators[k] + 1
                end = separators[k + 1] if k + 1 < len(separators) else n
                cell = draw(NASTY_CELLS).encode("utf-8", "surrogatepass")
                data = data[:start] + cell + data[end:]
        elif kind == "bytes":
            at = draw(st.integers(0, n))
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
        elif kind == "latin1":
            data = data.decode("utf-8", "replace").encode("latin-1", "replace") + b"\xe9\xff"
    return data
