// The entry is small on purpose: boot starts the page's chunk and its first read (the WebSocket, the engine reading
// the document) as soon as this file is in, while React DOM, i18n and the shell load beside them.
import './boot';
// Theme and styles here, not in start: the first paint (an empty page before React) is already in the right theme.
import './theme';
import './styles/theme.css';
import './styles/app.css';

void import('./start');
