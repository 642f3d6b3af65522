// The CSP test page's own script (an inline one would be refused): records every CSP violation
// for the test to read, and points the widget at the chat server named in the query string.
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`);
});
document.addEventListener('DOMContentLoaded', () => {
  const server = new URLSearchParams(location.search).get('server');
  document.querySelector('ephemeral-chat')?.setAttribute('server', server ?? '');
});
