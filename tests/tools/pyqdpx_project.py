"""Drives pyqdpx (PyPI `pyqdpx` 0.1.8), a REFI-QDA implementation that
knows nothing of companion, for tests/suite/qda_import.rs.

    python pyqdpx_project.py build OUT.qdpx   # a coded project, made by pyqdpx
    python pyqdpx_project.py read IN.qdpx     # what pyqdpx reads in a project

`build` starts from an empty project (pyqdpx edits projects; it does not
create them): two interviews, one source each, no codes. pyqdpx then adds a
user, the codes (a tension `Trust` with its poles as sub-codes, and
`publish`) and one selection per code applied, counting positions as NVivo
does (a character beyond the Basic Multilingual Plane counts twice). It
prints, as JSON, what an import should find.

`read` prints, as JSON, the codes (with their parents) and every source's
selections with the text pyqdpx reads at their positions.
"""

import json
import sys
import uuid
import zipfile

import pyqdpx
from pyqdpx.pyqdpx import simulate_nvivo_offsets

INTERVIEWS = {
    # source (and speaker) name: (text, [(words, pole, publish)])
    "Amira": (
        "Interviewer: Where did it start?\n"
        "Amira: Honestly? We trusted the café crowd 🤝 from day one.\n"
        "Amira: The council money came with strings — lots of them.\n",
        [
            ("We trusted the café crowd 🤝 from day one.", "within", True),
            ("The council money came with strings — lots of them.", "across", False),
        ],
    ),
    "Bo": (
        "Bo: Ça dépend 😅 of who is in the room, naïvely or not.\n"
        "Bo: 𝒮ometimes the board decides before we arrive.\n",
        [
            ("Ça dépend 😅 of who is in the room, naïvely or not.", "across", True),
            ("𝒮ometimes the board decides before we arrive.", "within", True),
        ],
    ),
}


def skeleton(path):
    sources = []
    texts = {}
    for name, (text, _) in INTERVIEWS.items():
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, "pyqdpx-test/" + name))
        sources.append(
            f'    <TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt"/>'
        )
        texts[guid] = text
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Interviews" origin="pyqdpx test">\n'
        "  <Users/>\n"
        "  <CodeBook>\n    <Codes/>\n  </CodeBook>\n"
        "  <Sources>\n" + "\n".join(sources) + "\n  </Sources>\n"
        "</Project>\n"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for guid, text in texts.items():
            z.writestr(f"sources/{guid}.txt", text)


def build(path):
    skeleton(path)
    project = pyqdpx.QDPX(path)
    qde = project.get_project()
    user = pyqdpx.User("Coder")
    qde.add_user(user)
    trust = pyqdpx.Code("Trust", qde, description="How far partners rely on each other.")
    poles = {
        "within": pyqdpx.Code("within", qde, parent=trust),
        "across": pyqdpx.Code("across", qde, parent=trust),
    }
    publish = pyqdpx.Code("publish", qde)
    expected = []
    for source in qde.sources.values():
        _, selections = INTERVIEWS[source.name]
        for words, pole, chosen in selections:
            # pyqdpx's text counts as NVivo does; so do its positions.
            simulated = simulate_nvivo_offsets(words)
            start = source.text_content.index(simulated)
            end = start + len(simulated)
            source.add_selection(start, end, poles[pole], user)
            if chosen:
                source.add_selection(start, end, publish, user)
                expected.append({"speaker": source.name, "words": words, "pole": pole})
    qde.save()
    print(json.dumps(expected, ensure_ascii=False))


def read(path):
    qde = pyqdpx.QDPX(path).get_project()
    codes = [
        {"name": c.name, "parent": c.parent.name if c.parent else None}
        for c in qde.codes.values()
    ]
    sources = [
        {
            "name": s.name,
            "selections": sorted(
                [
                    {"text": sel.text, "code": sel.code.name if sel.code else None}
                    for sel in s.coded_selections.values()
                ],
                key=lambda x: (x["text"], x["code"] or ""),
            ),
        }
        for s in qde.sources.values()
    ]
    print(json.dumps({"codes": codes, "sources": sources}, ensure_ascii=False))


if __name__ == "__main__":
    {"build": build, "read": read}[sys.argv[1]](sys.argv[2])
