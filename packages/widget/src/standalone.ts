// The script-tag bundle's entry: defines <ephemeral-chat> (with Lit and the SDK inside) and adds
// no global.
import './ephemeral-chat.js';
