// The demo page is served by the chat server itself, so the widget talks to this page's origin.
// (A file, not an inline script: the page runs under a CSP that allows only 'self' scripts.)
for (const chat of document.querySelectorAll('ephemeral-chat')) {
  if (!chat.getAttribute('server')) chat.server = location.origin;
}
