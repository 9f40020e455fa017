const { src, dest, parallel } = require('gulp');

// tsc emits only JavaScript; n8n loads each node's and credential's icon from beside its built file.
function nodeIcons() {
	return src('nodes/**/*.svg', { base: 'nodes' }).pipe(dest('dist/nodes'));
}
function credentialIcons() {
	return src('credentials/**/*.svg', { base: 'credentials' }).pipe(dest('dist/credentials'));
}

exports['build:icons'] = parallel(nodeIcons, credentialIcons);
