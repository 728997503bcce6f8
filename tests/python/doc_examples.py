"""Where psutil 7.2.2's documentation has its Python examples.

The examples are not copied here: they are read at test time from the psutil
7.2.2 sdist that `run_psutil_suite.sh` downloads from PyPI (directory in
``PSUTIL_SDIST_DIR``, default ``target/psutil-suite/psutil-7.2.2``). This
file only lists where each block starts (every ``>>>`` doctest block and
every Python code block of ``docs/index.rst`` and ``README.rst``, in
document order; shell snippets are left out) and a short SHA-256 of its
text, so a different sdist fails loudly instead of running other code.
``tests/python/test_doc_examples.py`` runs them.

Each entry of ``EXAMPLES``: ``where`` (file:line of the block's first line),
``code`` (the block), and for a script whose output the docs show in a
separate block, ``prints`` (that block).
"""

import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SDIST = os.environ.get(
    "PSUTIL_SDIST_DIR", os.path.join(ROOT, "target", "psutil-suite", "psutil-7.2.2")
)

# (where, sha256 of the block's text, first 16 hex digits, where its output is shown)
LOCATIONS = [
    ('docs/index.rst:144', '04a553b2474e9618', None),
    ('docs/index.rst:176', '268698fbbc304af8', None),
    ('docs/index.rst:230', '70baccd4d452da87', None),
    ('docs/index.rst:243', '378fcc216f83a8a3', None),
    ('docs/index.rst:264', '1fdcc64b5020de0f', None),
    ('docs/index.rst:286', 'bc250b4a3dd5ebc4', None),
    ('docs/index.rst:321', '4f0d72820eb6f2da', None),
    ('docs/index.rst:381', 'e2d8a2ccfb033899', None),
    ('docs/index.rst:414', 'aa3630439686cf01', None),
    ('docs/index.rst:447', '77e94746442f9a62', None),
    ('docs/index.rst:466', '052e9a351b31da88', None),
    ('docs/index.rst:520', '842b4024a2d3eae0', None),
    ('docs/index.rst:575', '0cf71f3f65ca2838', None),
    ('docs/index.rst:652', '23563a8f8d0659a8', None),
    ('docs/index.rst:704', '3a005d9fb50f98b3', None),
    ('docs/index.rst:763', '747288f1f7a16121', None),
    ('docs/index.rst:789', 'bcc6ecc8fbc1f980', None),
    ('docs/index.rst:815', '434508d574c6096f', None),
    ('docs/index.rst:843', '477669912ca196d6', None),
    ('docs/index.rst:876', 'c176e4c3b497427e', None),
    ('docs/index.rst:902', '1487271840d8582a', None),
    ('docs/index.rst:922', '0bb3d2504e280c43', None),
    ('docs/index.rst:949', 'd95a256a3370c032', None),
    ('docs/index.rst:960', '0018987d6c25e2e3', None),
    ('docs/index.rst:970', 'fb27aba57f7c72c3', None),
    ('docs/index.rst:1008', 'f607e7155eac0ef2', None),
    ('docs/index.rst:1123', 'f33d684ed70563de', None),
    ('docs/index.rst:1207', 'e20f3ea2baeb270f', None),
    ('docs/index.rst:1216', 'd695bc222d27790a', None),
    ('docs/index.rst:1225', 'f51f2fe89ca7e967', None),
    ('docs/index.rst:1247', '58e1675127eb6556', None),
    ('docs/index.rst:1269', 'e77a89c99771337b', None),
    ('docs/index.rst:1345', '62036eaf6149a667', None),
    ('docs/index.rst:1360', '6762c2994b7610fc', None),
    ('docs/index.rst:1395', '695caea9c9776ddb', None),
    ('docs/index.rst:1421', '55840b88afc31771', None),
    ('docs/index.rst:1470', 'd416880722623d37', None),
    ('docs/index.rst:1533', 'ee2050574091942a', None),
    ('docs/index.rst:1560', '87e83edd0ef03444', None),
    ('docs/index.rst:1604', '65a2c6debebe8a87', None),
    ('docs/index.rst:1707', 'a9e55e8e7776a128', None),
    ('docs/index.rst:1749', 'cf95d237891168ab', None),
    ('docs/index.rst:1809', '0596b08ed8181d79', None),
    ('docs/index.rst:1830', '22277fd3a2d6f9e0', None),
    ('docs/index.rst:1870', 'a2d8b0503a600de1', None),
    ('docs/index.rst:1954', '1429229fd88eda6b', None),
    ('docs/index.rst:2084', '09c9ac8ec59a366c', None),
    ('docs/index.rst:2129', 'b09ce2c0feb4e36e', None),
    ('docs/index.rst:2178', '74685741e5212ee5', None),
    ('docs/index.rst:2297', '2aec2d7b823b84d5', None),
    ('docs/index.rst:2544', 'cf1a116cbf26d456', None),
    ('docs/index.rst:2558', 'f15e8538b9629d96', None),
    ('docs/index.rst:2573', 'cf6ca6ceb7171779', None),
    ('docs/index.rst:2591', '22bea83c71f24822', None),
    ('docs/index.rst:2621', 'ec7a30eb9c4d3833', None),
    ('docs/index.rst:2626', 'f55936f4b8c7ae86', None),
    ('docs/index.rst:2634', 'acca8c0969626fcf', None),
    ('docs/index.rst:2641', 'c8ef8aed0a31f638', None),
    ('docs/index.rst:2652', 'b0623d2cde208d50', None),
    ('docs/index.rst:2659', '29ea7716b086ce1e', None),
    ('docs/index.rst:2669', 'b226a5b394005750', 'docs/index.rst:2693'),
    ('README.rst:146', '9e2f2d64ef5ad18f', None),
    ('README.rst:191', 'c32b79871d60065c', None),
    ('README.rst:202', '3a2bd20c878a2029', None),
    ('README.rst:218', 'd9b05341b8e97ab9', None),
    ('README.rst:245', 'e5abbae32a532513', None),
    ('README.rst:264', 'c2f48f8fa17af4d7', None),
    ('README.rst:278', '05fb2210519e72b8', None),
    ('README.rst:416', 'ec1372a43094fdfa', None),
    ('README.rst:440', 'a49eaf3cca022dfb', None),
    ('README.rst:452', '239345621a20049c', None),
]


def block_at(text_lines, n):
    """The reST block whose first line is line `n` (1-based): a doctest block
    (starts with `>>>`) runs to the first blank line; a literal block runs
    while lines keep its indentation (blank lines included). Indentation is
    removed; trailing blank lines dropped."""
    ls = text_lines
    i = n - 1
    first = ls[i]
    ind = len(first) - len(first.lstrip())
    doctest = first.lstrip().startswith(">>>")
    out = []
    while i < len(ls):
        line = ls[i]
        if not line.strip():
            if doctest:
                break
        elif len(line) - len(line.lstrip()) < ind:
            break
        out.append(line[ind:] if line.strip() else "")
        i += 1
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def _load():
    files = {}
    examples = []
    for where, digest, prints in LOCATIONS:
        name, line = where.split(":")
        if name not in files:
            with open(os.path.join(SDIST, name), encoding="utf-8") as f:
                files[name] = f.read().split("\n")
        code = block_at(files[name], int(line))
        got = hashlib.sha256(code.encode()).hexdigest()[:16]
        if got != digest:
            raise RuntimeError(f"{where}: not the psutil 7.2.2 example (sha256 {got})")
        entry = {"where": where, "code": code}
        if prints:
            pname, pline = prints.split(":")
            entry["prints"] = block_at(files[pname], int(pline))
        examples.append(entry)
    return examples


EXAMPLES = _load()
