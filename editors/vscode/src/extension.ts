// The Chiso extension: starts `chiso lsp` (the language server in the `chiso` binary) for
// `.chiso` files. Which binary: the `chiso.server.path` setting, else the one packaged in the
// platform-specific .vsix (`server/chiso`), else `chiso` on the PATH.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

function serverCommand(context: vscode.ExtensionContext): string {
  const configured = vscode.workspace.getConfiguration('chiso').get<string>('server.path', '').trim();
  if (configured) {
    return configured;
  }
  const exe = process.platform === 'win32' ? 'chiso.exe' : 'chiso';
  const bundled = path.join(context.extensionPath, 'server', exe);
  return fs.existsSync(bundled) ? bundled : 'chiso';
}

function locale(): string {
  const setting = vscode.workspace.getConfiguration('chiso').get<string>('locale', 'auto');
  return setting === 'auto' ? vscode.env.language : setting;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = serverCommand(context);
  // No `transport`: the client would append `--stdio`, which `chiso lsp` does not take.
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'chiso' },
      { scheme: 'untitled', language: 'chiso' },
    ],
    initializationOptions: { locale: locale() },
    // Plans are checked with their rulebook: tell the server when a .chiso file changes on disk.
    synchronize: {
      configurationSection: 'chiso',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.chiso'),
    },
  };
  client = new LanguageClient('chiso', 'Chiso', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Chiso: cannot start the language server (${command} lsp): ${e}. Set "chiso.server.path" to the chiso binary.`,
    );
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('chiso.restartServer', async () => {
      await client?.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('chiso.server.path')) {
        await client?.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
