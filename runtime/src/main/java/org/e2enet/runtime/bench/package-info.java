/**
 * Not API: the benchmarks and per-operator profiles of e2enet's command line and calibration. They may change without
 * notice; a service uses {@link org.e2enet.runtime}.
 */
package org.e2enet.runtime.bench;
