"""End to end with a real client not written here: pytest-lsp (on pygls) starts `chiso lsp`,
opens the DTI 2022 rulebook, breaks it, sees the diagnostic at the right range, fixes it, sees
it cleared; hover, definition, references, completion, formatting, rename and a code action
applied; then random incremental edits inside Vietnamese text, after which the diagnostics
equal `chiso check` on the final text."""

import json
import os
import pathlib
import random
import subprocess
import sys

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

CHISO = os.environ.get("CHISO", "chiso")
ROOT = pathlib.Path(__file__).resolve().parents[2]
DTI = ROOT / "examples" / "dti-2022" / "dti-2022.chiso"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[CHISO, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=ROOT.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=ROOT.as_uri(), name="chiso")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def position_of(text: str, needle: str, skip: int = 0) -> t.Position:
    at = text.index(needle) + skip
    line_start = text.rfind("\n", 0, at) + 1
    return t.Position(line=text.count("\n", 0, at), character=utf16_len(text[line_start:at]))


def cli_check(path: pathlib.Path, text: str):
    """(code, line, UTF-16 column) of what `chiso check --format json` reports."""
    out = subprocess.run([CHISO, "check", "--format", "json", str(path)], capture_output=True, check=False)
    lines = text.split("\n")
    result = []
    for d in json.loads(out.stdout)["diagnostics"]:
        line = lines[d["line"] - 1]
        result.append((d["code"], d["line"] - 1, utf16_len(line[: d["column"] - 1])))
    return result


def lsp_diags(client: LanguageClient, uri: str):
    return [(d.code, d.range.start.line, d.range.start.character) for d in client.diagnostics.get(uri, [])]


async def open_doc(client: LanguageClient, uri: str, text: str):
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(uri=uri, language_id="chiso", version=1, text=text))
    )
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def change(client: LanguageClient, uri: str, version: int, rng: t.Range | None, text: str):
    event = (
        t.TextDocumentContentChangeWholeDocument(text=text)
        if rng is None
        else t.TextDocumentContentChangePartial(range=rng, text=text)
    )
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[event]
        )
    )
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def test_break_and_fix_the_dti_rulebook(client: LanguageClient):
    text = DTI.read_text(encoding="utf-8")
    uri = DTI.as_uri()
    await open_doc(client, uri, text)
    want = cli_check(DTI, text)
    assert len(want) > 10
    assert lsp_diags(client, uri) == want

    # `ratio / 80% * max` → `ratio / 80% + max`: percent plus points.
    needle = "< 80% => ratio / 80% * max"
    start = position_of(text, needle, len("< 80% => ratio / 80% "))
    end = t.Position(line=start.line, character=start.character + 1)
    await change(client, uri, 2, t.Range(start=start, end=end), "+")
    new = [d for d in client.diagnostics[uri] if d.code == "E0301"]
    assert len(new) == 1
    assert new[0].range.start.line == start.line
    await change(client, uri, 3, t.Range(start=start, end=end), "*")
    assert lsp_diags(client, uri) == want


async def test_hover_definition_references(client: LanguageClient):
    text = DTI.read_text(encoding="utf-8")
    uri = DTI.as_uri()
    await open_doc(client, uri, text)
    doc = t.TextDocumentIdentifier(uri=uri)
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=doc, position=position_of(text, "indicator 6.12", 11))
    )
    assert "Tỷ lệ hồ sơ xử lý trực tuyến" in hover.contents.value
    assert "max 20" in hover.contents.value and "VPUBND_PVHCC" in hover.contents.value

    at = position_of(text, "owner VPUBND_PVHCC", 8)
    definition = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=at))
    assert definition.range.start.line == position_of(text, "agency VPUBND_PVHCC").line
    refs = await client.text_document_references_async(
        t.ReferenceParams(text_document=doc, position=at, context=t.ReferenceContext(include_declaration=True))
    )
    assert len(refs) == text.count("VPUBND_PVHCC")


SMALL = """agency SoTTTT "Sở Thông tin và Truyền thông"

pillar I "Thể chế số" max 15 {
  indicator 1.1 "Chỉ số một" {
      max 10
    owner SoTTTT
    input so_ho_so: count "Số hồ sơ"
    input tong: count "Tổng số" positive neutral
    assume so_ho_so <= tong
    let ty_le = so_ho_so / tong
    score = ty_le * max
  }
}
"""


def apply(text: str, edits) -> str:
    lines_start = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(p: t.Position) -> int:
        line_start = lines_start[p.line]
        units = 0
        i = line_start
        while units < p.character:
            units += utf16_len(text[i])
            i += 1
        return i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_completion_formatting_rename_code_action(client: LanguageClient):
    uri = "file:///tmp/pytest-lsp-small.chiso"
    await open_doc(client, uri, SMALL)
    doc = t.TextDocumentIdentifier(uri=uri)

    items = await client.text_document_completion_async(
        t.CompletionParams(text_document=doc, position=position_of(SMALL, "score = ty_le", 8))
    )
    labels = [i.label for i in (items.items if hasattr(items, "items") else items)]
    assert {"so_ho_so", "tong", "ty_le", "capped_linear"} <= set(labels)

    edits = await client.text_document_formatting_async(
        t.DocumentFormattingParams(text_document=doc, options=t.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    formatted = apply(SMALL, edits)
    assert "\n    max 10\n" in formatted

    rename = await client.text_document_rename_async(
        t.RenameParams(text_document=doc, position=position_of(SMALL, "assume so_ho_so", 8), new_name="hồ_sơ")
    )
    renamed = apply(SMALL, rename.changes[uri])
    assert renamed.count("hồ_sơ") == 3 and "so_ho_so" not in renamed

    # The pillar's max (15) differs from its indicators' sum (10): the quick fix sets it.
    line = position_of(SMALL, "pillar I").line
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=doc,
            range=t.Range(start=t.Position(line=line, character=0), end=t.Position(line=line, character=40)),
            context=t.CodeActionContext(diagnostics=list(client.diagnostics[uri])),
        )
    )
    fix = next(a for a in actions if "sum" in a.title)
    fixed = apply(SMALL, fix.edit.changes[uri])
    assert 'pillar I "Thể chế số" max 10 {' in fixed
    await change(client, uri, 2, None, fixed)
    assert list(client.diagnostics[uri]) == []


PIECES = ["ể", "e\u0302\u0309", "ố", "😀", "\n", " ", "Thể chế số", "max", "{", "}", "a", '"', "80%", "+", "// ghi chú\n"]


async def test_random_edits_in_vietnamese_text_end_in_step_with_chiso_check(client: LanguageClient, tmp_path):
    rng = random.Random(20221)
    text = SMALL
    uri = (tmp_path / "random.chiso").as_uri()
    await open_doc(client, uri, text)
    for version in range(2, 502):
        a = rng.randrange(len(text) + 1)
        if rng.randrange(3) == 0 and text:
            b = min(len(text), a + 1 + rng.randrange(6))
            insert = ""
        else:
            b, insert = a, rng.choice(PIECES)
        start, end = position_of(text[:a] + "\0", "\0"), position_of(text[:b] + "\0", "\0")
        text = text[:a] + insert + text[b:]
        await change(client, uri, version, t.Range(start=start, end=end), insert)
    path = tmp_path / "random.chiso"
    path.write_text(text, encoding="utf-8")
    want = cli_check(path, text)
    got = [d for d in lsp_diags(client, uri) if d[0] is not None]
    assert got == want[: len(got)] and len(got) == min(len(want), 1000)
