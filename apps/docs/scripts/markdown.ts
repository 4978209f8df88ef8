/**
 * @module scripts/markdown
 * Small Markdown transformations the generated pages need: front matter, the page title taken
 * from the first heading, and link rewriting that leaves code (fenced blocks and inline code)
 * untouched.
 */

/** A page's front matter: Fumadocs needs a title; the description shows under it. */
export interface FrontMatter {
  readonly title: string;
  readonly description?: string;
}

/** Front matter as YAML, with every value quoted as JSON (a valid YAML string). */
export function frontMatter(meta: FrontMatter): string {
  const lines = [`title: ${JSON.stringify(meta.title)}`];
  if (meta.description) lines.push(`description: ${JSON.stringify(meta.description)}`);
  return `---\n${lines.join("\n")}\n---\n\n`;
}

/** The text of the first level-one heading (without code marks) and the document without it. */
export function takeTitle(markdown: string): { title: string | undefined; body: string } {
  const match = /^# (.+)\n+/m.exec(markdown);
  if (!match?.[1]) return { title: undefined, body: markdown };
  return {
    title: match[1].replace(/`/g, "").trim(),
    body: markdown.slice(0, match.index) + markdown.slice(match.index + match[0].length),
  };
}

/**
 * Takes the document's leading paragraph out of it, as one line of plain text (links keep their
 * text; code and emphasis marks go), for the page's description, which shows under the title.
 * Leaves the document as it is when it starts with a heading, list, table, quote or code.
 */
export function takeFirstParagraph(markdown: string): {
  paragraph: string | undefined;
  body: string;
} {
  const match = /^\s*([\s\S]*?)(?:\n[ \t]*\n|\s*$)/.exec(markdown);
  const block = match?.[1]?.trim() ?? "";
  if (!match || block === "" || /^(#|[-*|>]|```|~~~|\d+\.|<)/.test(block))
    return { paragraph: undefined, body: markdown };
  const paragraph = block
    .replace(/\s*\n\s*/g, " ")
    .replace(/!?\[((?:[^[\]\\]|\\.|\[[^\]]*\])*)\]\([^)\s]+\)/g, "$1")
    .replace(/[`*]/g, "");
  return { paragraph, body: markdown.slice(match[0].length) };
}

/** Replaces a link target: a new target, or null to keep the link's text without the link. */
export type LinkRewriter = (target: string) => string | null;

const FENCE = /^(```|~~~)/;

/**
 * Rewrites every inline link (`[text](target)`) outside fenced code blocks and inline code.
 * Images (`![alt](src)`) are rewritten too. Reference-style links are left as they are.
 */
export function rewriteLinks(markdown: string, rewrite: LinkRewriter): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const marker = FENCE.exec(line.trimStart())?.[1];
    if (fence !== null) {
      if (marker === fence) fence = null;
      out.push(line);
    } else if (marker) {
      fence = marker;
      out.push(line);
    } else out.push(rewriteLine(line, rewrite));
  }
  return out.join("\n");
}

/**
 * Code spans or links (whose text may hold one level of brackets: `[`[BRAND]`](#brand)`):
 * whichever starts first wins, so links inside code stay as they are.
 */
const CODE_OR_LINK = /`+[^`]*`+|(!?)\[((?:[^[\]\\]|\\.|\[[^\]]*\])*)\]\(([^)\s]+)\)/g;

/** Rewrites the links of one line, skipping inline code spans. */
function rewriteLine(line: string, rewrite: LinkRewriter): string {
  return line.replace(
    CODE_OR_LINK,
    (whole, bang: string | undefined, text: string | undefined, target: string | undefined) => {
      if (target === undefined || text === undefined) return whole;
      const next = rewrite(target);
      if (next === null) return bang ? "" : text;
      return next === target ? whole : `${bang ?? ""}[${text}](${next})`;
    },
  );
}

/** True for a link to another site or a page anchor (nothing to rewrite). */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#");
}
