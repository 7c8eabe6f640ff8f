package dev.safemigrate.core.spi;

/** What the JDBC driver says about the server, used to pick and check a dialect. */
public record DatabaseInfo(String productName, String productVersion, int majorVersion, int minorVersion) {
    @Override
    public String toString() {
        return productName + " " + productVersion;
    }
}
