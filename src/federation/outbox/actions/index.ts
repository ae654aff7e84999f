/**
 * The verbs of a local actor, shared by the CLI, the HTTP API and the
 * library: each checks its input, publishes one activity and records what it
 * changes, answering `{ ok: true, activityUri, deliveries, ... }` or a refusal
 * with a typed `reason`.
 */
export type { ActionFailure, Published } from "./action-result.ts";
export { createPost, type CreatePostParams, type CreatePostReason, type CreatePostResult } from "./create-post.ts";
export { editPost, type EditPostParams, type EditPostReason, type EditPostResult } from "./edit-post.ts";
export { deletePost, type DeletePostParams, type DeletePostReason, type DeletePostResult } from "./delete-post.ts";
export { followActor, type FollowActorParams, type FollowActorReason, type FollowActorResult } from "./follow-actor.ts";
export { unfollowActor, type UnfollowActorParams, type UnfollowActorReason, type UnfollowActorResult } from "./unfollow-actor.ts";
export {
  likeObject,
  unlikeObject,
  type LikeObjectParams,
  type LikeObjectReason,
  type LikeObjectResult,
  type UnlikeObjectReason,
  type UnlikeObjectResult,
} from "./like-object.ts";
export {
  announceObject,
  unannounceObject,
  type AnnounceObjectParams,
  type AnnounceObjectReason,
  type AnnounceObjectResult,
  type UnannounceObjectReason,
  type UnannounceObjectResult,
} from "./announce-object.ts";
export {
  blockActor,
  unblockActor,
  type BlockActorParams,
  type BlockActorReason,
  type BlockActorResult,
  type UnblockActorReason,
  type UnblockActorResult,
} from "./block-actor.ts";
export {
  updateProfile,
  profileChangesSchema,
  MAX_PROFILE_FIELDS,
  type ProfileChanges,
  type UpdateProfileParams,
  type UpdateProfileReason,
  type UpdateProfileResult,
} from "./update-profile.ts";
export {
  deleteLocalActor,
  type DeleteLocalActorParams,
  type DeleteLocalActorReason,
  type DeleteLocalActorResult,
} from "./delete-local-actor.ts";
export {
  acceptFollower,
  rejectFollower,
  type AcceptFollowerReason,
  type AcceptFollowerResult,
  type FollowRequestParams,
  type RejectFollowerReason,
  type RejectFollowerResult,
} from "./follow-requests.ts";
export { moveActor, type MoveActorParams, type MoveActorReason, type MoveActorResult } from "./move-actor.ts";
export {
  featureObject,
  unfeatureObject,
  MAX_FEATURED,
  type FeatureObjectParams,
  type FeatureObjectReason,
  type FeatureObjectResult,
  type UnfeatureObjectReason,
  type UnfeatureObjectResult,
} from "./feature-object.ts";
export { MAX_POST_CHARS, MAX_SUMMARY_CHARS } from "./post-input.ts";
