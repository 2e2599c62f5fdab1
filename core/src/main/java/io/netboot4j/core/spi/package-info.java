/**
 * Extension points: one provider interface per concern, discovered with
 * {@link java.util.ServiceLoader} and chosen by {@link io.netboot4j.core.spi.ServiceProvider#name()}.
 *
 * <p>Choice order: an instance given to the builder, then a name, then the single provider
 * found, then the embedded default; several candidates without a choice (and none of them
 * the default) is an error naming them. See {@link io.netboot4j.core.spi.Providers}.
 */
package io.netboot4j.core.spi;
