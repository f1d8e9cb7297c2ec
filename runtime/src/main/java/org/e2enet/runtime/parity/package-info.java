/**
 * Not API: the parity checks of an exported model against its bundle's golden fixtures, and of two engines' label
 * maps, as e2enet's command line runs them. They may change without notice; a service uses {@link org.e2enet.runtime}.
 */
package org.e2enet.runtime.parity;
