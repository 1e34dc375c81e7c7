/**
 * The tool catalogue of the toolrl-mini world: 48 typed tools in 12 domains, 4 per domain, of
 * which one per domain is held out (`heldOut: true`). Held-out tools' names and parameter names
 * occur nowhere in the train split — not in its tool lists, requests, values or fixed prompt text
 * (test/mini-world.test.ts checks every substring) — so evaluation on them measures reading the
 * tool list, not memory (../shared/notes/MINI-WORLD-FEASIBILITY.md).
 *
 * Request templates: `{param}` is replaced by the value's surface text, `[param]` by one of the
 * optional parameter's phrases (`say`, with `{}` for the value; `yes`/`no` for booleans) when the
 * parameter is present and by nothing when it is absent. A required boolean's `{param}` slot uses
 * its `yes`/`no` words. Templates start with a plain word, so they can be joined into one
 * request ("X. Also, y.") by lower-casing the second's first letter.
 */
import type { PoolName } from './pools';

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list';

export interface ParamDef {
  name: string;
  type: ParamType;
  required: boolean;
  /** string and list (of strings) parameters: where values come from. */
  pool?: PoolName;
  /** integer and number parameters: inclusive range. */
  range?: readonly [number, number];
  /** number parameters: digits after the point (the last one never 0, so the text is canonical). */
  decimals?: 1 | 2;
  /** enum parameters. */
  options?: readonly string[];
  /** Another parameter of the same tool whose value this one must differ from. */
  distinctFrom?: string;
  /** list parameters: how many items (default [2, 3]). */
  listSize?: readonly [number, number];
  /** Optional parameters: phrases inserted at `[name]`, with `{}` for the value's surface. */
  say?: readonly string[];
  /** Boolean parameters: phrases (optional) or words (required) for true and false. */
  yes?: readonly string[];
  no?: readonly string[];
}

export interface ToolDef {
  name: string;
  domain: string;
  description: string;
  params: readonly ParamDef[];
  requests: readonly string[];
  heldOut?: boolean;
}

const UNITS = ['celsius', 'fahrenheit'] as const;
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'] as const;
const LENGTHS = ['meters', 'feet', 'miles', 'inches'] as const;
const ROOMS = ['kitchen', 'bedroom', 'office', 'garage'] as const;

export const CATALOGUE: readonly ToolDef[] = [
  // ---- weather
  {
    name: 'get_weather', domain: 'weather', description: 'Current weather for a city.',
    params: [
      { name: 'city', type: 'string', required: true, pool: 'city' },
      { name: 'unit', type: 'enum', required: false, options: UNITS, say: [' in {}', ', in {}'] },
    ],
    requests: ['What is the weather in {city}[unit]?', 'How is the weather in {city} right now[unit]?', 'Tell me the current weather for {city}[unit].', 'Is it cold in {city} today[unit]?'],
  },
  {
    name: 'get_forecast', domain: 'weather', description: 'Weather forecast for the coming days.',
    params: [
      { name: 'city', type: 'string', required: true, pool: 'city' },
      { name: 'days', type: 'integer', required: true, range: [1, 10] },
      { name: 'hourly', type: 'boolean', required: false, yes: [' with hourly details', ', hour by hour'], no: [' without hourly details', ', no hourly breakdown'] },
    ],
    requests: ['Give me the {days}-day forecast for {city}[hourly].', 'What will the weather be in {city} over the next {days} days[hourly]?', 'Forecast for {city}, {days} days ahead[hourly].'],
  },
  {
    name: 'get_air_quality', domain: 'weather', description: 'Air quality index of a city.',
    params: [
      { name: 'city', type: 'string', required: true, pool: 'city' },
      { name: 'pollutant', type: 'enum', required: false, options: ['pm25', 'ozone', 'no2'], say: [' for {}', ', only {}'] },
    ],
    requests: ['How clean is the air in {city}[pollutant]?', 'Check the air quality in {city}[pollutant].', 'What is the air quality index of {city}[pollutant]?'],
  },
  {
    name: 'get_uv_index', domain: 'weather', description: 'Sun UV index of a city.', heldOut: true,
    params: [
      { name: 'uv_city', type: 'string', required: true, pool: 'city' },
      { name: 'uv_hour', type: 'integer', required: false, range: [6, 20], say: [' at {}:00', ' for hour {}'] },
    ],
    requests: ['What is the UV index in {uv_city}[uv_hour]?', 'How strong is the sun in {uv_city}[uv_hour]?', 'Check the UV level for {uv_city}[uv_hour].'],
  },

  // ---- calendar
  {
    name: 'create_event', domain: 'calendar', description: 'Add an event to the calendar.',
    params: [
      { name: 'title', type: 'string', required: true, pool: 'eventTitle' },
      { name: 'date', type: 'string', required: true, pool: 'date' },
      { name: 'time', type: 'string', required: false, pool: 'time', say: [' at {}'] },
      { name: 'attendees', type: 'list', required: false, pool: 'firstName', say: [' with {}', ', inviting {}'] },
    ],
    requests: ['Add {title} to my calendar on {date}[time][attendees].', 'Schedule {title} for {date}[time][attendees].', 'Put {title} on {date} in my calendar[time][attendees].'],
  },
  {
    name: 'list_events', domain: 'calendar', description: 'List the events on a date.',
    params: [
      { name: 'date', type: 'string', required: true, pool: 'date' },
      { name: 'limit', type: 'integer', required: false, range: [1, 20], say: [', at most {} of them', ' (only the first {})'] },
    ],
    requests: ['What is on my calendar on {date}[limit]?', 'Show my events for {date}[limit].', 'List everything I have planned on {date}[limit].'],
  },
  {
    name: 'delete_event', domain: 'calendar', description: 'Delete a calendar event by id.',
    params: [
      { name: 'event_id', type: 'integer', required: true, range: [100, 9999] },
      { name: 'notify', type: 'boolean', required: false, yes: [' and notify the attendees', ', telling everyone invited'], no: [' without notifying anyone', ', no notifications'] },
    ],
    requests: ['Delete event {event_id} from my calendar[notify].', 'Cancel calendar event number {event_id}[notify].', 'Remove event {event_id}[notify].'],
  },
  {
    name: 'reserve_room', domain: 'calendar', description: 'Book a meeting room.', heldOut: true,
    params: [
      { name: 'floor_number', type: 'integer', required: true, range: [1, 30] },
      { name: 'seats', type: 'integer', required: true, range: [2, 40] },
      { name: 'projector', type: 'boolean', required: false, yes: [' with a projector'], no: [' without a projector'] },
    ],
    requests: ['Book a meeting room on floor {floor_number} for {seats} people[projector].', 'Get us a room with {seats} seats on floor {floor_number}[projector].'],
  },

  // ---- finance
  {
    name: 'get_stock_price', domain: 'finance', description: 'Latest price of a stock.',
    params: [{ name: 'symbol', type: 'string', required: true, pool: 'ticker' }],
    requests: ['What is {symbol} trading at?', 'Get the current stock price of {symbol}.', 'How much is one share of {symbol}?'],
  },
  {
    name: 'convert_currency', domain: 'finance', description: 'Convert money between currencies.',
    params: [
      { name: 'amount', type: 'number', required: true, range: [1, 5000], decimals: 2 },
      { name: 'from_currency', type: 'enum', required: true, options: CURRENCIES },
      { name: 'to_currency', type: 'enum', required: true, options: CURRENCIES, distinctFrom: 'from_currency' },
    ],
    requests: ['Convert {amount} {from_currency} to {to_currency}.', 'How much is {amount} {from_currency} in {to_currency}?', 'Change {amount} {from_currency} into {to_currency}.'],
  },
  {
    name: 'send_money', domain: 'finance', description: 'Send money to a person.',
    params: [
      { name: 'recipient', type: 'string', required: true, pool: 'fullName' },
      { name: 'amount', type: 'number', required: true, range: [1, 900], decimals: 2 },
      { name: 'note', type: 'string', required: false, pool: 'note', say: [" with the note '{}'", ", memo '{}'"] },
    ],
    requests: ['Send {amount} dollars to {recipient}[note].', 'Transfer {amount} to {recipient}[note].', 'Pay {recipient} {amount}[note].'],
  },
  {
    name: 'loan_payment', domain: 'finance', description: 'Monthly payment of a loan.', heldOut: true,
    params: [
      { name: 'loan_amount', type: 'integer', required: true, range: [1000, 500000] },
      { name: 'rate_percent', type: 'number', required: true, range: [1, 9], decimals: 1 },
      { name: 'loan_years', type: 'integer', required: false, range: [1, 30], say: [' over {} years', ' for {} years'] },
    ],
    requests: ['What is the monthly payment on a {loan_amount} loan at {rate_percent} percent[loan_years]?', 'Estimate my payment for borrowing {loan_amount} at {rate_percent} percent[loan_years].'],
  },

  // ---- conversion
  {
    name: 'convert_length', domain: 'conversion', description: 'Convert a length between units.',
    params: [
      { name: 'value', type: 'number', required: true, range: [1, 500], decimals: 1 },
      { name: 'from_unit', type: 'enum', required: true, options: LENGTHS },
      { name: 'to_unit', type: 'enum', required: true, options: LENGTHS, distinctFrom: 'from_unit' },
    ],
    requests: ['Convert {value} {from_unit} to {to_unit}.', 'How many {to_unit} are {value} {from_unit}?', 'What is {value} {from_unit} in {to_unit}?'],
  },
  {
    name: 'convert_temperature', domain: 'conversion', description: 'Convert a temperature to another scale.',
    params: [
      { name: 'degrees', type: 'number', required: true, range: [1, 120], decimals: 1 },
      { name: 'to_scale', type: 'enum', required: true, options: ['celsius', 'fahrenheit', 'kelvin'] },
    ],
    requests: ['Convert {degrees} degrees to {to_scale}.', 'What is {degrees} degrees in {to_scale}?', 'Change {degrees} degrees into {to_scale}.'],
  },
  {
    name: 'calculate_tip', domain: 'conversion', description: 'Tip for a restaurant bill.',
    params: [
      { name: 'bill_amount', type: 'number', required: true, range: [5, 400], decimals: 2 },
      { name: 'tip_percent', type: 'integer', required: false, range: [5, 30], say: [' at {} percent', ', tipping {} percent'] },
      { name: 'split_between', type: 'integer', required: false, range: [2, 8], say: [' split between {} people', ', shared by {}'] },
    ],
    requests: ['What is the tip on a {bill_amount} bill[tip_percent][split_between]?', 'Work out the tip for {bill_amount}[tip_percent][split_between].', 'How much tip should I leave on {bill_amount}[tip_percent][split_between]?'],
  },
  {
    name: 'convert_weight', domain: 'conversion', description: 'Convert a weight between units.', heldOut: true,
    params: [
      { name: 'weight', type: 'number', required: true, range: [1, 200], decimals: 1 },
      { name: 'weight_from', type: 'enum', required: true, options: ['kg', 'lb'] },
      { name: 'weight_to', type: 'enum', required: true, options: ['kg', 'lb'], distinctFrom: 'weight_from' },
    ],
    requests: ['Convert {weight} {weight_from} to {weight_to}.', 'How many {weight_to} is {weight} {weight_from}?'],
  },

  // ---- search and knowledge
  {
    name: 'search_web', domain: 'search', description: 'Search the web.',
    params: [
      { name: 'query', type: 'string', required: true, pool: 'topic' },
      { name: 'max_results', type: 'integer', required: false, range: [1, 20], say: [' and show {} results', ' (top {})'] },
    ],
    requests: ['Search the web for {query}[max_results].', 'Look up {query} online[max_results].', 'Find pages about {query}[max_results].'],
  },
  {
    name: 'get_definition', domain: 'search', description: 'Dictionary definition of a word.',
    params: [
      { name: 'word', type: 'string', required: true, pool: 'word' },
      { name: 'language', type: 'enum', required: false, options: ['english', 'spanish', 'french'], say: [' in {}', ', answer in {}'] },
    ],
    requests: ['What does the word {word} mean[language]?', 'Define {word}[language].', 'Give me the definition of {word}[language].'],
  },
  {
    name: 'translate_text', domain: 'search', description: 'Translate text into a language.',
    params: [
      { name: 'text', type: 'string', required: true, pool: 'phrase' },
      { name: 'target_language', type: 'enum', required: true, options: ['spanish', 'french', 'german', 'italian'] },
    ],
    requests: ["Translate '{text}' into {target_language}.", "How do you say '{text}' in {target_language}?", "Put '{text}' in {target_language}."],
  },
  {
    name: 'find_synonyms', domain: 'search', description: 'Words with the same meaning.', heldOut: true,
    params: [
      { name: 'synonym_of', type: 'string', required: true, pool: 'word' },
      { name: 'how_many', type: 'integer', required: false, range: [1, 10], say: [', give me {}', ' ({} of them)'] },
    ],
    requests: ['Give me synonyms for {synonym_of}[how_many].', 'What are other words for {synonym_of}[how_many]?'],
  },

  // ---- messaging
  {
    name: 'send_email', domain: 'messaging', description: 'Send an email.',
    params: [
      { name: 'to', type: 'string', required: true, pool: 'email' },
      { name: 'subject', type: 'string', required: true, pool: 'subject' },
      { name: 'cc', type: 'list', required: false, pool: 'email', listSize: [1, 2], say: [' and cc {}', ', copying {}'] },
    ],
    requests: ["Email {to} with the subject '{subject}'[cc].", "Send an email to {to} about '{subject}'[cc].", "Write to {to}, subject '{subject}'[cc]."],
  },
  {
    name: 'send_sms', domain: 'messaging', description: 'Send a text message to a phone.',
    params: [
      { name: 'phone', type: 'string', required: true, pool: 'phone' },
      { name: 'message', type: 'string', required: true, pool: 'smsText' },
    ],
    requests: ["Text {phone} saying '{message}'.", "Send an SMS to {phone}: '{message}'.", "Message {phone} with '{message}'."],
  },
  {
    name: 'set_reminder', domain: 'messaging', description: 'Remind the user of a task later.',
    params: [
      { name: 'task', type: 'string', required: true, pool: 'reminderTask' },
      { name: 'minutes', type: 'integer', required: true, range: [5, 240] },
      { name: 'daily', type: 'boolean', required: false, yes: [' and repeat it every day', ', daily'], no: [' just once', ', only once'] },
    ],
    requests: ['Remind me to {task} in {minutes} minutes[daily].', 'Set a reminder to {task} in {minutes} minutes[daily].', 'In {minutes} minutes, remind me to {task}[daily].'],
  },
  {
    name: 'post_message', domain: 'messaging', description: 'Post in a team chat channel.', heldOut: true,
    params: [
      { name: 'channel', type: 'string', required: true, pool: 'channel' },
      { name: 'post_text', type: 'string', required: true, pool: 'channelMessage' },
      { name: 'pinned', type: 'boolean', required: false, yes: [' and pin it'], no: [' but do not pin it'] },
    ],
    requests: ["Post '{post_text}' in {channel}[pinned].", "Tell {channel} that '{post_text}'[pinned]."],
  },

  // ---- travel
  {
    name: 'search_flights', domain: 'travel', description: 'Find flights between two airports.',
    params: [
      { name: 'origin', type: 'string', required: true, pool: 'airport' },
      { name: 'destination', type: 'string', required: true, pool: 'airport', distinctFrom: 'origin' },
      { name: 'date', type: 'string', required: true, pool: 'date' },
      { name: 'cabin', type: 'enum', required: false, options: ['economy', 'business', 'first'], say: [' in {} class', ', {} class'] },
    ],
    requests: ['Find flights from {origin} to {destination} on {date}[cabin].', 'Are there flights from {origin} to {destination} on {date}[cabin]?', 'Search flights {origin} to {destination} for {date}[cabin].'],
  },
  {
    name: 'book_hotel', domain: 'travel', description: 'Book a hotel room.',
    params: [
      { name: 'city', type: 'string', required: true, pool: 'city' },
      { name: 'check_in', type: 'string', required: true, pool: 'date' },
      { name: 'nights', type: 'integer', required: true, range: [1, 14] },
      { name: 'guests', type: 'integer', required: false, range: [1, 6], say: [' for {} guests', ', {} guests'] },
    ],
    requests: ['Book a hotel in {city} from {check_in} for {nights} nights[guests].', 'Get me a hotel in {city} for {nights} nights starting {check_in}[guests].', 'Reserve a room in {city}, {nights} nights from {check_in}[guests].'],
  },
  {
    name: 'rent_car', domain: 'travel', description: 'Rent a car.',
    params: [
      { name: 'pickup_city', type: 'string', required: true, pool: 'city' },
      { name: 'days', type: 'integer', required: true, range: [1, 21] },
      { name: 'car_type', type: 'enum', required: false, options: ['compact', 'suv', 'van'], say: [', a {}', ' (a {})'] },
    ],
    requests: ['Rent a car in {pickup_city} for {days} days[car_type].', 'Get me a rental car in {pickup_city} for {days} days[car_type].', 'Book a car at {pickup_city} for {days} days[car_type].'],
  },
  {
    name: 'get_visa_rules', domain: 'travel', description: 'Visa rules for a trip.', heldOut: true,
    params: [
      { name: 'home_country', type: 'string', required: true, pool: 'country' },
      { name: 'visit_country', type: 'string', required: true, pool: 'country', distinctFrom: 'home_country' },
    ],
    requests: ['Do people from {home_country} need a visa for {visit_country}?', 'Check the visa rules for a trip from {home_country} to {visit_country}.'],
  },

  // ---- shopping
  {
    name: 'search_products', domain: 'shopping', description: 'Search the online store.',
    params: [
      { name: 'query', type: 'string', required: true, pool: 'product' },
      { name: 'max_price', type: 'number', required: false, range: [5, 300], decimals: 2, say: [' under {} dollars', ' for less than {}'] },
      { name: 'in_stock', type: 'boolean', required: false, yes: [' that are in stock', ', in stock only'], no: [', including sold out items'] },
    ],
    requests: ['Find {query}[max_price][in_stock].', 'Search the store for {query}[max_price][in_stock].', 'Show me {query}[max_price][in_stock].'],
  },
  {
    name: 'add_to_cart', domain: 'shopping', description: 'Add a product to the cart.',
    params: [
      { name: 'product_id', type: 'integer', required: true, range: [1000, 99999] },
      { name: 'quantity', type: 'integer', required: true, range: [1, 10] },
    ],
    requests: ['Add {quantity} of item {product_id} to my cart.', 'Put product {product_id} in my cart, quantity {quantity}.', 'Add product {product_id} to the cart, {quantity} pieces.'],
  },
  {
    name: 'track_order', domain: 'shopping', description: 'Delivery status of an order.',
    params: [{ name: 'order_number', type: 'string', required: true, pool: 'orderCode' }],
    requests: ['Where is my order {order_number}?', 'Track order {order_number}.', 'Has order {order_number} shipped yet?'],
  },
  {
    name: 'apply_discount', domain: 'shopping', description: 'Apply a discount code to a cart.', heldOut: true,
    params: [
      { name: 'discount_code', type: 'string', required: true, pool: 'voucherCode' },
      { name: 'cart_total', type: 'number', required: true, range: [5, 800], decimals: 2 },
    ],
    requests: ['Use the code {discount_code} on my {cart_total} dollar order.', 'Apply {discount_code} to a total of {cart_total}.'],
  },

  // ---- entertainment
  {
    name: 'find_showtimes', domain: 'entertainment', description: 'Cinema showtimes of a movie.',
    params: [
      { name: 'movie', type: 'string', required: true, pool: 'movie' },
      { name: 'city', type: 'string', required: true, pool: 'city' },
      { name: 'date', type: 'string', required: false, pool: 'date', say: [' on {}', ' for {}'] },
    ],
    requests: ['When is {movie} playing in {city}[date]?', 'Find showtimes for {movie} in {city}[date].', 'Where can I see {movie} in {city}[date]?'],
  },
  {
    name: 'recommend_books', domain: 'entertainment', description: 'Book recommendations by genre.',
    params: [
      { name: 'genre', type: 'enum', required: true, options: ['mystery', 'fantasy', 'history', 'romance'] },
      { name: 'count', type: 'integer', required: false, range: [1, 10], say: [', give me {}', ' ({} titles)'] },
    ],
    requests: ['Recommend some {genre} books[count].', 'Suggest {genre} books to read[count].', 'What {genre} books should I read[count]?'],
  },
  {
    name: 'play_song', domain: 'entertainment', description: 'Play a song.',
    params: [
      { name: 'title', type: 'string', required: true, pool: 'song' },
      { name: 'artist', type: 'string', required: false, pool: 'artist', say: [' by {}'] },
      { name: 'shuffle', type: 'boolean', required: false, yes: [' on shuffle', ', shuffle on'], no: [' without shuffle', ', shuffle off'] },
    ],
    requests: ['Play {title}[artist][shuffle].', 'Put on the song {title}[artist][shuffle].', 'Start playing {title}[artist][shuffle].'],
  },
  {
    name: 'find_concerts', domain: 'entertainment', description: 'Upcoming concerts of a band.', heldOut: true,
    params: [
      { name: 'band', type: 'string', required: true, pool: 'artist' },
      { name: 'concert_city', type: 'string', required: false, pool: 'city', say: [' in {}', ' near {}'] },
    ],
    requests: ['When does {band} play live[concert_city]?', 'Find concerts by {band}[concert_city].'],
  },

  // ---- food
  {
    name: 'find_restaurants', domain: 'food', description: 'Find restaurants in a city.',
    params: [
      { name: 'city', type: 'string', required: true, pool: 'city' },
      { name: 'cuisine', type: 'enum', required: true, options: ['italian', 'thai', 'mexican', 'indian'] },
      { name: 'price', type: 'enum', required: false, options: ['cheap', 'moderate', 'expensive'], say: [', {} ones', ' that are {}'] },
    ],
    requests: ['Find {cuisine} restaurants in {city}[price].', 'Where can I eat {cuisine} food in {city}[price]?', 'Show {cuisine} places to eat in {city}[price].'],
  },
  {
    name: 'get_recipe', domain: 'food', description: 'Recipe for a dish.',
    params: [
      { name: 'dish', type: 'string', required: true, pool: 'dish' },
      { name: 'servings', type: 'integer', required: false, range: [1, 12], say: [' for {} people', ', {} servings'] },
      { name: 'vegetarian', type: 'boolean', required: false, yes: [', vegetarian', ' without meat'], no: [', with meat'] },
    ],
    requests: ['How do I make {dish}[servings][vegetarian]?', 'Give me a recipe for {dish}[servings][vegetarian].', 'Show me how to cook {dish}[servings][vegetarian].'],
  },
  {
    name: 'order_food', domain: 'food', description: 'Order food from a restaurant.',
    params: [
      { name: 'restaurant', type: 'string', required: true, pool: 'restaurant' },
      { name: 'items', type: 'list', required: true, pool: 'dish' },
      { name: 'delivery', type: 'boolean', required: false, yes: [' for delivery', ', delivered'], no: [' for pickup', ', I will pick it up'] },
    ],
    requests: ['Order {items} from {restaurant}[delivery].', 'Get me {items} from {restaurant}[delivery].', 'Place an order at {restaurant} for {items}[delivery].'],
  },
  {
    name: 'get_calories', domain: 'food', description: 'Calories in some foods.', heldOut: true,
    params: [
      { name: 'food_list', type: 'list', required: true, pool: 'food' },
      { name: 'grams', type: 'integer', required: false, range: [50, 500], say: [', {} grams each'] },
    ],
    requests: ['How many calories are in {food_list}[grams]?', 'Count the calories of {food_list}[grams].'],
  },

  // ---- fitness
  {
    name: 'log_workout', domain: 'fitness', description: 'Record a workout.',
    params: [
      { name: 'activity', type: 'enum', required: true, options: ['running', 'cycling', 'swimming', 'rowing'] },
      { name: 'minutes', type: 'integer', required: true, range: [10, 180] },
      { name: 'distance_km', type: 'number', required: false, range: [1, 60], decimals: 1, say: [' covering {} km', ', {} kilometers'] },
    ],
    requests: ['Log a {minutes} minute {activity} workout[distance_km].', 'Record {minutes} minutes of {activity}[distance_km].', 'I did {activity} for {minutes} minutes[distance_km], log it.'],
  },
  {
    name: 'get_step_count', domain: 'fitness', description: 'Steps walked on a day.',
    params: [{ name: 'date', type: 'string', required: true, pool: 'date' }],
    requests: ['How many steps did I walk on {date}?', 'What was my step count on {date}?', 'Show my steps for {date}.'],
  },
  {
    name: 'track_sleep', domain: 'fitness', description: 'Record a night of sleep.',
    params: [
      { name: 'hours', type: 'number', required: true, range: [3, 11], decimals: 1 },
      { name: 'quality', type: 'enum', required: false, options: ['poor', 'fair', 'good'], say: [', it was {}', ' ({} sleep)'] },
    ],
    requests: ['Log {hours} hours of sleep[quality].', 'Record that I slept {hours} hours[quality].', 'Save my sleep: {hours} hours[quality].'],
  },
  {
    name: 'book_gym_class', domain: 'fitness', description: 'Book a class at the gym.', heldOut: true,
    params: [
      { name: 'class_type', type: 'enum', required: true, options: ['yoga', 'dance'] },
      { name: 'class_date', type: 'string', required: true, pool: 'date' },
    ],
    requests: ['Book me a {class_type} class on {class_date}.', 'Sign me up for {class_type} at the gym on {class_date}.'],
  },

  // ---- smart home
  {
    name: 'set_thermostat', domain: 'home', description: 'Set the heating temperature.',
    params: [
      { name: 'temperature', type: 'integer', required: true, range: [15, 28] },
      { name: 'room', type: 'enum', required: false, options: ROOMS, say: [' in the {}', ' for the {}'] },
    ],
    requests: ['Set the thermostat to {temperature} degrees[room].', 'Make it {temperature} degrees[room].', 'Change the heating to {temperature}[room].'],
  },
  {
    name: 'turn_on_lights', domain: 'home', description: 'Turn on the lights in a room.',
    params: [
      { name: 'room', type: 'enum', required: true, options: ROOMS },
      { name: 'brightness', type: 'integer', required: false, range: [10, 100], say: [' at {} percent', ', brightness {}'] },
    ],
    requests: ['Turn on the lights in the {room}[brightness].', 'Switch the {room} lights on[brightness].', 'Lights on in the {room}[brightness].'],
  },
  {
    name: 'lock_door', domain: 'home', description: 'Lock or unlock a door.',
    params: [
      { name: 'door', type: 'enum', required: true, options: ['front', 'back', 'side'] },
      { name: 'locked', type: 'boolean', required: true, yes: ['lock'], no: ['unlock'] },
    ],
    requests: ['Please {locked} the {door} door.', 'Can you {locked} the {door} door?', 'Go ahead and {locked} the {door} door.'],
  },
  {
    name: 'start_vacuum', domain: 'home', description: 'Start the robot vacuum.', heldOut: true,
    params: [
      { name: 'vacuum_room', type: 'enum', required: true, options: ROOMS },
      { name: 'turbo', type: 'boolean', required: false, yes: [' on full power'], no: [' quietly'] },
    ],
    requests: ['Start the vacuum in the {vacuum_room}[turbo].', 'Vacuum the {vacuum_room}[turbo].'],
  },
];

/** Requests that need no tool, with the reply the gold answer gives. */
export const CHITCHAT: readonly (readonly [string, string])[] = [
  ['Hello!', 'Hello! How can I help you today?'],
  ['Hi there.', 'Hi! What can I do for you?'],
  ['Good morning!', 'Good morning! How can I help?'],
  ['Thanks a lot!', 'You are welcome!'],
  ['Thank you, that is all.', 'Glad I could help. Goodbye!'],
  ['Who are you?', 'I am an assistant that can use tools to help you.'],
  ['How are you today?', 'I am doing well, thanks. How can I help?'],
  ['Can you help me?', 'Of course. What do you need?'],
];

/** Requests no tool of the world can serve. */
export const OUT_OF_SCOPE: readonly string[] = [
  'Write me a poem about the sea.',
  'Tell me a joke.',
  'What is the meaning of life?',
  'Sing me a song.',
  'Can you paint a picture for me?',
  'What should I name my cat?',
  'Give me some advice on love.',
  'Tell me a story about dragons.',
];

export const CANNOT_HELP = 'Sorry, none of the available tools can do that.';
