/**
 * Interaction events as Slack incoming-webhook messages (`text` for
 * notifications, `blocks` for the message), which Mattermost, Rocket.Chat
 * and Discord's Slack-compatible endpoint read too. Everything that comes
 * from a remote server is escaped: in Slack's mrkdwn `<`, `>` and `&` start
 * links and mentions, so an unescaped display name could ping `@channel`.
 */
import { htmlToPlainText } from "../../protocol/sanitize.ts";
import type { InteractionEvent } from "../interactions/events.ts";

/** A Slack message with a fallback text and blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

/** Longest excerpt of the content quoted in a message. */
export const SLACK_EXCERPT_CHARS = 500;

/** Parameters of {@link escapeSlackText}. */
export interface EscapeSlackTextParams {
  readonly text: string;
}

/** Text safe inside mrkdwn: `&`, `<` and `>` as entities, as Slack asks. */
export function escapeSlackText(params: EscapeSlackTextParams): string {
  return params.text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Parameters of {@link slackLink}. */
export interface SlackLinkParams {
  readonly url: string;
  readonly label: string;
}

/** `<url|label>`, or the escaped label alone when the URL is not http(s). */
export function slackLink(params: SlackLinkParams): string {
  const label = escapeSlackText({ text: params.label }).replaceAll("|", "¦");
  let url: URL;
  try {
    url = new URL(params.url);
  } catch {
    return label;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return label;
  // `|` and `>` end the URL part of a link; percent-encoded they cannot.
  const href = url.href.replaceAll("|", "%7C").replaceAll(">", "%3E").replaceAll("<", "%3C");
  return `<${href}|${label}>`;
}

const VERBS: Readonly<Record<InteractionEvent["type"], string>> = {
  follow: "followed",
  mention: "mentioned",
  reply: "replied to",
  like: "liked",
  boost: "boosted",
  quote: "quoted",
};

/** Parameters of {@link slackMessage}. */
export interface SlackMessageParams {
  readonly event: InteractionEvent;
  /** How the local actor is named, e.g. `@alice`. */
  readonly localActorName: string;
}

/** The message telling a channel about an interaction. */
export function slackMessage(params: SlackMessageParams): SlackMessage {
  const { event } = params;
  const who = event.actor.name ?? event.actor.handle ?? event.actor.uri;
  const handle = event.actor.handle === null ? "" : ` (${escapeSlackText({ text: event.actor.handle })})`;
  const whom = event.type === "follow" || event.type === "mention" || event.targetUri === null
    ? escapeSlackText({ text: params.localActorName })
    : slackLink({ url: event.targetUri, label: `a post by ${params.localActorName}` });
  const pending = event.action === "requested" ? " (awaiting approval)" : "";
  const headline = `${slackLink({ url: event.actor.url, label: who })}${handle} ${VERBS[event.type]} ${whom}${pending}`;
  const plainHeadline = `${who}${event.actor.handle === null ? "" : ` (${event.actor.handle})`} ${VERBS[event.type]} ${params.localActorName}`;

  const blocks: Record<string, unknown>[] = [{ type: "section", text: { type: "mrkdwn", text: headline } }];
  const excerpt = event.content === null ? "" : excerptOf(htmlToPlainText(event.content));
  if (excerpt !== "") {
    const quoted = escapeSlackText({ text: excerpt }).split("\n").map((line) => `>${line}`).join("\n");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: quoted } });
  }
  if (event.type !== "follow") {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackLink({ url: event.url, label: "View on the fediverse" }) }] });
  }
  return { text: escapeSlackText({ text: plainHeadline }), blocks };
}

function excerptOf(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= SLACK_EXCERPT_CHARS ? chars.join("") : `${chars.slice(0, SLACK_EXCERPT_CHARS - 1).join("")}…`;
}
