// native/model/config.cc — shape checks, repeated here because this library can be used without
// the TypeScript layer (e.g. built alone on a GPU machine).
#include "model/config.h"

#include <c10/util/Exception.h>

namespace toolrl {

void ModelConfig::validate() const {
  TORCH_CHECK_VALUE(vocab_size > 0, "vocab_size must be positive, got ", vocab_size);
  TORCH_CHECK_VALUE(hidden_size > 0, "hidden_size must be positive, got ", hidden_size);
  TORCH_CHECK_VALUE(num_layers > 0, "num_hidden_layers must be positive, got ", num_layers);
  TORCH_CHECK_VALUE(num_heads > 0 && hidden_size % num_heads == 0,
                    "hidden_size (", hidden_size, ") must be a multiple of num_attention_heads (", num_heads, ")");
  TORCH_CHECK_VALUE(head_dim() % 2 == 0, "head dim (hidden_size / num_attention_heads = ", head_dim(),
                    ") must be even for rotary embeddings");
  TORCH_CHECK_VALUE(num_kv_heads > 0 && num_heads % num_kv_heads == 0,
                    "num_attention_heads (", num_heads, ") must be a multiple of num_key_value_heads (", num_kv_heads, ")");
  TORCH_CHECK_VALUE(intermediate_size > 0, "intermediate_size must be positive, got ", intermediate_size);
  TORCH_CHECK_VALUE(rope_theta > 0, "rope_theta must be positive, got ", rope_theta);
  TORCH_CHECK_VALUE(rms_norm_eps > 0, "rms_norm_eps must be positive, got ", rms_norm_eps);
}

}  // namespace toolrl
