/**
 * A value already serialized as JSON text. A job payload built around a
 * request's own body (see the inbox's receive step) is handed to the store
 * as text, so the document parsed once for checking is not serialized a
 * second time: the SQL store writes the text as it is. Anything else that
 * serializes it with `JSON.stringify` gets the value the text stands for.
 */
export class JsonText {
  /** The JSON text; the caller vouches that it parses. */
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
