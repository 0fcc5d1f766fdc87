/**
 * Numbered samples of the extension's API, each a small test that runs in the build (like jcstress's API
 * samples). Read them in order; docs/USER-GUIDE.md refers to them.
 */
package io.staleguard.junit.samples;
