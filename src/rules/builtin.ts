/** The built-in rule packs, shipped as JSON in rules/ and validated on first use. */
import coreThemes from '../../rules/core-themes.json' with { type: 'json' };
import findings from '../../rules/findings.json' with { type: 'json' };
import polarity from '../../rules/polarity.json' with { type: 'json' };
import type { RulePack } from '../schemas.js';

/** core-themes, polarity and findings, in that order. */
export const BUILTIN_RULE_PACKS: readonly RulePack[] = Object.freeze([coreThemes, polarity, findings] as RulePack[]);
