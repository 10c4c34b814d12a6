// Tokenizes every .chiso file of the repository with the extension's TextMate grammar (through
// vscode-textmate and vscode-oniguruma, the engine VS Code itself uses) and checks the scopes of
// known pieces of the DTI 2022 rulebook. Run: `node test/grammar.test.js` (build.sh runs it).
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.resolve(__dirname, '..', '..', '..');
const grammarPath = path.resolve(__dirname, '..', 'syntaxes', 'chiso.tmLanguage.json');

function chisoFiles(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && !['target', 'node_modules', 'fuzz'].includes(e.name)) chisoFiles(p, out);
    } else if (e.name.endsWith('.chiso')) {
      out.push(p);
    }
  }
  return out;
}

async function main() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s) => new oniguruma.OnigScanner(s),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.chiso' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar('source.chiso');

  // Tokenize a text; return [text, scopes] per token.
  const tokenize = (text) => {
    let stack = vsctm.INITIAL;
    const out = [];
    for (const line of text.split('\n')) {
      const r = grammar.tokenizeLine(line, stack);
      for (const t of r.tokens) out.push([line.substring(t.startIndex, t.endIndex), t.scopes]);
      stack = r.ruleStack;
    }
    return out;
  };
  const scopeOf = (tokens, text) => {
    const t = tokens.find(([s]) => s === text);
    assert.ok(t, `no token ${JSON.stringify(text)}`);
    return t[1][t[1].length - 1];
  };

  const files = chisoFiles(root, []);
  assert.ok(files.length > 50, `found ${files.length} files`);
  let tokens = 0;
  for (const f of files) {
    const toks = tokenize(fs.readFileSync(f, 'utf8'));
    tokens += toks.length;
    // Every comment line is a comment, whatever it holds.
    for (const [s, scopes] of toks) {
      if (s.startsWith('//')) assert.ok(scopes.some((x) => x.startsWith('comment.')), `${f}: ${s}`);
    }
  }

  const dti = tokenize(fs.readFileSync(path.join(root, 'examples/dti-2022/dti-2022.chiso'), 'utf8'));
  const expect = [
    ['indicator', 'storage.type.indicator.chiso'],
    ['6.12', 'entity.name.type.indicator.chiso'],
    ['"Tỷ lệ hồ sơ xử lý trực tuyến"', 'string.quoted.double.chiso'],
    ['owner', 'keyword.other.property.chiso'],
    ['VPUBND_PVHCC', 'entity.name.type.agency.chiso'],
    ['80%', 'constant.numeric.chiso'],
    ['when', 'keyword.control.chiso'],
    ['count', 'support.type.unit.chiso'],
    ['=>', 'keyword.operator.arrow.chiso'],
  ];
  const joined = (toks) => {
    // Strings are split into quote / body / quote tokens: rebuild them.
    const out = [];
    for (let i = 0; i < toks.length; i++) {
      const [s, scopes] = toks[i];
      if (s === '"' && scopes.includes('string.quoted.double.chiso')) {
        let str = s;
        let j = i + 1;
        while (j < toks.length && toks[j][1].includes('string.quoted.double.chiso')) {
          str += toks[j][0];
          if (toks[j][0] === '"') break;
          j++;
        }
        out.push([str, ['string.quoted.double.chiso']]);
        i = j;
      } else {
        out.push([s.trim(), scopes]);
      }
    }
    return out;
  };
  const dtiJoined = joined(dti);
  for (const [text, scope] of expect) {
    assert.strictEqual(scopeOf(dtiJoined, text), scope, text);
  }
  // Vietnamese identifiers with combining marks stay one token.
  const vi = joined(tokenize('let tỷ_lệ = số_hồ_sơ / tổng\n'));
  assert.strictEqual(scopeOf(vi, 'tỷ_lệ'), 'variable.other.declaration.chiso');
  assert.strictEqual(scopeOf(vi, 'số_hồ_sơ'), 'variable.other.chiso');
  console.log(`grammar: ${files.length} files, ${tokens} tokens, scopes as expected`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
