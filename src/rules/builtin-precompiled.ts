/**
 * The built-in packs, compiled at build time. In the source tree this is
 * undefined (so tests and type checks always compile the packs themselves);
 * the build replaces this module with the JSON text of toPrecompiled(compileRulePacks(BUILTIN_RULE_PACKS))
 * (see tsup.config.ts). compileRulePacks uses it only when the fingerprint matches.
 */
const precompiled: string | undefined = undefined;
export default precompiled;
