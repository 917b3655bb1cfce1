/**
 * Whether the build checked the bundled model with loadModel (checksum included). The build
 * (tsup.config.ts) replaces this module with `true` after checking it, and fails when the check
 * fails; from the source tree (tests) it is false, so the model is checked in full at load.
 * When true, a cold start skips the checksum and the scan of the weight texts for non-base64 characters.
 */
export const BUNDLED_CHECKSUM_VERIFIED: boolean = false;
