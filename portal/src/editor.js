// The rulebook editor: CodeMirror 6 with Chiso's words highlighted and the engine's checker as the
// linter. Diagnostics are asked for with UTF-16 columns, which is how CodeMirror counts offsets,
// so an error after an emoji is still underlined at the right character.

import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { ask } from "./engine.js";

// lang/src/syntax/lexer.rs KEYWORDS, plus the plan's words.
const KEYWORDS = new Set(("rulebook source period locale index agency section field pillar indicator max owner " +
  "cooperating source_id note not_scored input assume let score fn test given expect if then else when match in " +
  "or and not true false total count number percent money points yes_no text date choice positive default neutral " +
  "lower_is_better at_least at_most column min not_evaluable plan target task schedule unit rulebook due advances group " +
  "baseline goal").split(" "));

const chiso = StreamLanguage.define({
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match("//")) { stream.skipToEnd(); return "comment"; }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^\d[\d.,_]*%?/)) return "number";
    if (stream.match(/^[\p{L}_][\p{L}\p{N}_]*/u)) {
      return KEYWORDS.has(stream.current()) ? "keyword" : "variableName";
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "//" } },
});

/** Offset in `doc` of a 1-based line and 1-based UTF-16 column. */
function offset(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

/**
 * Mounts the editor in `parent`. `onCheck(report, text)` is called after each check with the
 * engine's check report (or a refused response); `message(d)` words a diagnostic.
 */
export function mountEditor(parent, { text, name, onCheck, message }) {
  let fileName = name;
  const lint = linter((view) => {
    const doc = view.state.doc;
    const text = doc.toString();
    const report = ask({ op: "check", files: [{ name: fileName, text }], columns: "utf16" });
    onCheck(report, text);
    const diagnostics = report.diagnostics ?? [];
    return diagnostics
      .filter((d) => d.file === fileName)
      .map((d) => {
        const from = offset(doc, d.line, d.column);
        let to = offset(doc, d.end_line, d.end_column);
        if (to <= from) to = Math.min(from + 1, doc.length);
        return { from, to, severity: d.severity === "error" ? "error" : "warning", message: message(d), source: d.code };
      });
  }, { delay: 350 });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        chiso, syntaxHighlighting(defaultHighlightStyle), lint, lintGutter(),
        EditorView.lineWrapping,
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(next, nextName = fileName) {
      fileName = nextName;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      forceLinting(view);
    },
    /** Scrolls to and selects a diagnostic's place. */
    reveal(d) {
      const doc = view.state.doc;
      const from = offset(doc, d.line, d.column);
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
      view.focus();
    },
    relint: () => forceLinting(view),
  };
}
