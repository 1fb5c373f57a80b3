import { resolve } from 'node:path';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';

/**
 * Every `{@link X}` in the generated client points at a symbol an editor can open: for each
 * link, the TypeScript language service (ts-morph's bundled TypeScript, as an editor runs it)
 * is asked for the definition at the link's name, as a ctrl-click would. A link to a name the
 * module does not import shows as plain text and leads nowhere.
 */
const project = new Project({ tsConfigFilePath: resolve('generated/tsconfig.json') });
const service = project.getLanguageService().compilerObject;
/** `{@link Name}` or `{@link Name.member}`; a URL (`{@link https://...}`) is a link to a page, not a symbol. */
const LINK = /\{@link(?:code|plain)?\s+([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?!:\/\/)(?=[\s|}])/g;

describe('JSDoc links in generated/src', () => {
  it('every {@link} resolves to a definition (SystemErrors, error classes, Client.batch, ...)', () => {
    const all: { where: string; name: string; resolved: boolean }[] = [];
    for (const file of project.getSourceFiles()) {
      const text = file.getFullText();
      for (const match of text.matchAll(LINK)) {
        // The last segment of `Client.batch`: the definition of the member itself.
        const at = match.index + match[0].length - 1;
        const definitions = service.getDefinitionAtPosition(file.getFilePath(), at) ?? [];
        all.push({ where: `${file.getFilePath().replace(/.*generated\/src\//, '')}:${file.getDescendantAtPos(at)?.getStartLineNumber() ?? '?'}`, name: match[1], resolved: definitions.length > 0 });
      }
    }
    expect(all.length).toBeGreaterThan(400);
    const broken = all.filter((l) => !l.resolved).map((l) => `${l.where} {@link ${l.name}}`);
    expect(broken.length === 0 ? [] : [`${broken.length} broken links, e.g.`, ...broken.slice(0, 15)]).toEqual([]);
    // The links this check was written for are among those it resolved.
    expect(all.some((l) => l.name === 'SystemErrors' && l.where.startsWith('facade/'))).toBe(true);
  });

  it('an editor shows named, documented groups, documented event-handler keys and params', () => {
    // A consumer file in memory (never saved), as an editor would have open.
    const probe = project.createSourceFile(
      resolve('generated/src/__editor_probe.ts'),
      `import { createClient, createWebhookHandler } from './index.js';
const client = createClient({ webhookUrl: 'https://example.bitrix24.com/rest/1/secret/' });
void client.imbot.v2.Chat.Message.send;
createWebhookHandler({ applicationToken: 't', on: { ONIMBOTV2MESSAGEADD: () => undefined } });
`,
      { overwrite: true },
    );
    const text = probe.getFullText();
    const info = (marker: string, offset = 0) => {
      const q = service.getQuickInfoAtPosition(probe.getFilePath(), text.indexOf(marker) + offset)!;
      return {
        display: (q.displayParts ?? []).map((p) => p.text).join(''),
        docs: (q.documentation ?? []).map((p) => p.text).join(''),
        tags: (q.tags ?? []).map((t) => `@${t.name} ${(t.text ?? []).map((p) => p.text).join('')}`),
      };
    };
    try {
      const chat = info('Chat.Message', 1);
      expect(chat.display).toContain('ImbotV2ChatGroup');
      expect(chat.docs).toContain('What the bot does in chats');
      expect(chat.tags.join('\n')).toContain('chat-bots-v2/imbot.v2/chats/index.html');
      const message = info('Message.send', 1);
      expect(message.display).toContain('ImbotV2ChatMessageGroup');
      expect(message.docs).toContain('`send`: Send a message from the bot to a dialog.');
      const send = info('send;', 1);
      expect(send.tags.some((t) => t.startsWith('@param params') && t.includes('imbot.v2.Chat.Message.send'))).toBe(true);
      expect(send.tags.some((t) => t.startsWith('@throws a system error'))).toBe(true);
      const key = info('ONIMBOTV2MESSAGEADD', 1);
      expect(key.docs).toContain('A user wrote in a chat the bot is in.');
      expect(key.tags.join('\n')).toContain('events.html');
    } finally {
      project.removeSourceFile(probe);
    }
  });
});
