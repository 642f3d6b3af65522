/**
 * The protocol's constants an app's UI needs (expiry and burn choices, limits), re-exported so an
 * app depends on the SDK alone. A subpath of their own (`@ephemeral-chat/sdk/constants`), as in
 * the protocol: `limits` alone is ~150 B min+gzip that an app without these screens need not ship.
 */
export {
  type BurnChoice,
  burnChoices,
  expiry,
  type Limits,
  limits,
  reportReasons,
  type TtlChoice,
  ttlChoices,
} from '@ephemeral-chat/protocol/constants';
