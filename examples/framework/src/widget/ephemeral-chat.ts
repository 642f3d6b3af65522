import type {
  EphemeralChat,
  EphemeralChatEventMap,
  StringOverrides,
  Theme,
} from '@ephemeral-chat/widget';
import type { HTMLAttributes, Ref } from 'react';

/**
 * `on<event name>` props for the widget's DOM events: React 19 adds a listener for `ec-login` from
 * `onec-login`, and so on. Mapped from the widget's event map, so the detail types follow it.
 */
type EventProps = {
  [K in keyof EphemeralChatEventMap as `on${K}`]?: (event: EphemeralChatEventMap[K]) => void;
};

/** What JSX accepts on `<ephemeral-chat>`: its attributes, properties and events. */
export interface EphemeralChatProps extends HTMLAttributes<EphemeralChat>, EventProps {
  ref?: Ref<EphemeralChat>;
  /** The chat server's base URL. */
  server?: string;
  theme?: Theme;
  locale?: string;
  /** Set as a property (React 19 does so when the element has one): any subset of the UI texts. */
  strings?: StringOverrides;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ephemeral-chat': EphemeralChatProps;
    }
  }
}
