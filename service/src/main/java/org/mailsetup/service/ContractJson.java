package org.mailsetup.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one configured JSON mapper of the JSON contract (README, "The JSON contract"; openapi.yaml): the
 * single lookup of the command line, the batch lines and the HTTP API all write results with it, so the
 * shape cannot drift between them. The shape itself comes from the result model's annotations.
 */
public final class ContractJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ContractJson() {
    }

    /** The shared mapper; thread-safe, not to be reconfigured. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
