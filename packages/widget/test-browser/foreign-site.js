// Mounts the widget for the chat server named in the query, then tells the test page (the
// parent, on another origin) what its status line says once it is past "Connecting…".
const server = new URLSearchParams(location.search).get('server') ?? '';
const chat = document.createElement('ephemeral-chat');
chat.setAttribute('server', server);
document.body.append(chat);

function report() {
  const bar = chat.shadowRoot?.querySelector('ec-status-bar');
  const line = bar?.shadowRoot?.querySelector('[part="status"]');
  const text = line?.textContent?.trim().replace(/\s+/g, ' ');
  if (!text || text === 'Connecting…') {
    setTimeout(report, 50);
    return;
  }
  const buttons = [...(line?.querySelectorAll('button') ?? [])].map((b) => b.textContent?.trim());
  parent.postMessage({ text, buttons, origin: location.origin }, '*');
}
report();
