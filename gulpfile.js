const { src, dest, parallel } = require('gulp');

// tsc emits only JavaScript; n8n loads each node's icon and codex (<Node>.node.json) from beside its
// built file, and each credential's icon likewise.
function nodeIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json'], { base: 'nodes' }).pipe(dest('dist/nodes'));
}
function credentialIcons() {
	return src('credentials/**/*.svg', { base: 'credentials' }).pipe(dest('dist/credentials'));
}

exports['build:icons'] = parallel(nodeIcons, credentialIcons);
