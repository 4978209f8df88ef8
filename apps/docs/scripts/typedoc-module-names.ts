/**
 * @module scripts/typedoc-module-names
 * A TypeDoc plugin that reads LakeSync's module headers as they are written: the first line of
 * `@module` is the module's name (`@module @lakesync/core`), the lines after it its description.
 * TypeDoc on its own takes the whole block as the tag, so a multi-line header would lose both
 * the name (the module would be named after its path) and the description.
 */
import {
  type Application,
  type CommentDisplayPart,
  type Context,
  Converter,
  type DeclarationReflection,
  ReflectionKind,
} from "typedoc";

/** Splits display parts at the first line break: the parts before it and the parts after. */
function splitFirstLine(parts: readonly CommentDisplayPart[]): {
  first: CommentDisplayPart[];
  rest: CommentDisplayPart[];
} {
  const first: CommentDisplayPart[] = [];
  const rest: CommentDisplayPart[] = [];
  let broken = false;
  for (const part of parts) {
    if (broken) rest.push(part);
    else if (part.kind === "text" && part.text.includes("\n")) {
      const at = part.text.indexOf("\n");
      first.push({ kind: "text", text: part.text.slice(0, at) });
      const after = part.text.slice(at + 1);
      if (after.trim() !== "") rest.push({ kind: "text", text: after });
      broken = true;
    } else first.push(part);
  }
  return { first, rest };
}

/** Registers the plugin: runs before TypeDoc's own comment handling renames modules. */
export function load(app: Application): void {
  app.converter.on(
    Converter.EVENT_CREATE_DECLARATION,
    (_context: Context, reflection: DeclarationReflection) => {
      if (!reflection.kindOf(ReflectionKind.SomeModule)) return;
      const tag = reflection.comment?.getTag("@module");
      if (!reflection.comment || !tag) return;
      const { first, rest } = splitFirstLine(tag.content);
      tag.content = first;
      if (rest.length > 0) reflection.comment.summary = [...rest, ...reflection.comment.summary];
    },
    100,
  );
}
