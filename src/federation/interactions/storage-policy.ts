/**
 * Which interactions are kept for display. Public and unlisted ones are what
 * a comment section may show; followers-only and direct ones are kept only
 * when the host asked for them, and are never rendered publicly either way.
 */
import type { Visibility } from "../../store/records.ts";

/** Visibilities a public page may show. */
export const DISPLAYED_VISIBILITIES: readonly Visibility[] = ["public", "unlisted"];

/** Every visibility. */
export const ALL_VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "followers", "direct"];

/** Parameters of {@link isKeptInteraction}. */
export interface KeptInteractionParams {
  readonly visibility: Visibility;
  readonly storePrivateInteractions: boolean;
}

/** Whether an interaction of this visibility is stored. */
export function isKeptInteraction(params: KeptInteractionParams): boolean {
  return params.storePrivateInteractions || DISPLAYED_VISIBILITIES.includes(params.visibility);
}
