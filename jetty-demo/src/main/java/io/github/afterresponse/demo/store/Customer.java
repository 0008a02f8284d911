package io.github.afterresponse.demo.store;

/** A customer of the shop. */
public record Customer(long id, String name, String email, String segment, String city, String language) {
}
