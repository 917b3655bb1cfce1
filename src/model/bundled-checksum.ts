/**
 * Whether the build verified the bundled model's checksum. The build (tsup.config.ts)
 * replaces this module with `true` after checking it, and fails when the check fails;
 * from the source tree (tests) it is false, so the model is checked in full at load.
 */
export const BUNDLED_CHECKSUM_VERIFIED: boolean = false;
